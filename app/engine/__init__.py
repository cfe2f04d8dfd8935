"""The generation engine: models, pipelines, previews and the worker.

torch and diffusers are imported inside functions, only when a render or a model scan
first needs them, so importing this package (or app.engine.worker) stays cheap.
"""

import os

# Never download: models come from this machine only (DESIGN.md, Models).
os.environ["HF_HUB_OFFLINE"] = "1"  # forced: diffusers retries online unless the hub is offline
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
