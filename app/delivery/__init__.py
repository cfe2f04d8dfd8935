"""Delivery: exports for each channel, content credentials, watermark, verification, reports."""
