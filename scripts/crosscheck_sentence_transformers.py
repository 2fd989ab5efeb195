#!/usr/bin/env python3
"""Loads a model directory written by `./intent-stream export` with Python sentence-transformers
and compares its vectors with `./intent-stream embed --model DIR` on a few sentences.

Development aid only: needs `pip install sentence-transformers`; nothing in the build uses it.
"""
import json
import os
import subprocess
import sys

import numpy as np
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "I lost my card",
    "How do I reset my password?",
    "Ünïcödé, emoji 🙂 and 中文",
    "word " * 300,
]


def main(model_dir: str) -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [os.path.join(root, "intent-stream"), "embed", "--model", model_dir, *SENTENCES],
        check=True, capture_output=True, text=True).stdout
    java = np.array([json.loads(line)["vector"] for line in out.splitlines() if line.startswith("{")])
    python = SentenceTransformer(model_dir, device="cpu").encode(SENTENCES, convert_to_numpy=True)
    worst = 1.0
    for i, text in enumerate(SENTENCES):
        cos = float(np.dot(java[i], python[i]) / np.linalg.norm(java[i]) / np.linalg.norm(python[i]))
        worst = min(worst, cos)
        print(f"cosine {cos:.9f}  max|delta| {np.max(np.abs(java[i] - python[i])):.2e}  {text[:40]!r}")
    return 0 if worst >= 0.9999 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
