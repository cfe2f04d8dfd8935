"""Prompt conditioning through compel, so that `(smiling)1.2` really weighs more."""

from __future__ import annotations


class Conditioner:
    """Turns (prompt, negative) in compel syntax into the keyword arguments of a pipeline
    call: prompt_embeds / negative_prompt_embeds (padded to one length), plus the pooled
    embeddings for SDXL. Pipelines compel does not cover get the plain strings."""

    def __init__(self, pipe):
        from compel import Compel, ReturnedEmbeddingsType

        self.kind = "plain"
        self.compel = None
        device = getattr(pipe, "_execution_device", None) or pipe.device
        tok2 = getattr(pipe, "tokenizer_2", None)
        if getattr(pipe, "unet", None) is None or getattr(pipe, "text_encoder", None) is None:
            return
        if tok2 is not None and getattr(pipe, "text_encoder_2", None) is not None:
            self.kind = "sdxl"
            self.compel = Compel(
                tokenizer=[pipe.tokenizer, tok2], text_encoder=[pipe.text_encoder, pipe.text_encoder_2],
                returned_embeddings_type=ReturnedEmbeddingsType.PENULTIMATE_HIDDEN_STATES_NON_NORMALIZED,
                requires_pooled=[False, True], truncate_long_prompts=False, device=str(device))
        else:
            self.kind = "sd"
            self.compel = Compel(tokenizer=pipe.tokenizer, text_encoder=pipe.text_encoder,
                                 truncate_long_prompts=False, device=str(device))

    def __call__(self, prompt: str, negative: str) -> dict:
        import torch

        if self.compel is None:  # no weighting here: give the model the words, not the syntax
            return {"prompt": plain_text(prompt), "negative_prompt": plain_text(negative) or None}
        with torch.no_grad():
            if self.kind == "sdxl":
                pos, pooled = self.compel(prompt)
                neg, neg_pooled = self.compel(negative or "")
                pos, neg = self.compel.pad_conditioning_tensors_to_same_length([pos, neg])
                return {"prompt_embeds": pos, "pooled_prompt_embeds": pooled,
                        "negative_prompt_embeds": neg, "negative_pooled_prompt_embeds": neg_pooled}
            pos = self.compel(prompt)
            neg = self.compel(negative or "")
            pos, neg = self.compel.pad_conditioning_tensors_to_same_length([pos, neg])
            return {"prompt_embeds": pos, "negative_prompt_embeds": neg}


def plain_text(prompt: str) -> str:
    """A compel prompt without its weight syntax: "(smiling)1.2, dress-" -> "smiling, dress"."""
    from app.core.prompt_syntax import parse_compel

    try:
        return " ".join("".join(t.text for t in parse_compel(prompt or "")).split())
    except ValueError:
        return prompt
