"""Writes the demo model's byte-level BPE vocabulary (vocab.json, merges.txt).

Run by tools/demo_model/train.py (or by hand: `python -m tools.demo_model.make_vocab OUT`).
The output ships in the demo model's folder; nothing downloads a tokenizer. Every byte is a
token (so any text tokenizes); the words below, every word of the English lexicon's terms
and every word the caption writer uses get whole-word tokens built by left-to-right merges.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEXICON = HERE.parent.parent / "app" / "resources" / "lexicons" / "en.json"

WORDS = """
a an and the of in on with without more less very slightly bit much way
woman man person model portrait photo photograph shot editorial fashion studio campaign
smiling smile laughing serious neutral calm confident happy soft
looking camera away gaze eyes eye face skin lips
standing sitting walking leaning pose posing arms hands hips
hair long short curly straight wavy bun ponytail loose voluminous sleek braided blonde brunette red black
makeup natural bold lipstick glossy matte
dress gown coat jacket blazer trench suit shirt blouse skirt trousers jeans knit sweater
silk satin linen wool leather denim cotton velvet lace
white cream beige camel brown grey gray blue navy green pink orange yellow gold silver
earrings necklace bag hat scarf belt boots heels sunglasses jewelry
lighting light soft hard golden hour rim window daylight dramatic shadows flash
background plain seamless street city beach garden interior wall backdrop
full body half close up closeup wide framing crop centered
color colors palette warm cool muted vibrant pastel monochrome
mood elegant minimal romantic moody playful luxurious
quality detailed sharp high best masterpiece realistic photorealistic blurry lowres ugly
deformed bad anatomy watermark text signature cropped worst jpeg artifacts
lach haar vrouw jurk licht achtergrond
sketch knitwear knit sweater trousers purple beige orange expression calm three quarter
tones side bun airy voluminous sleek looking camera down away earrings sunglasses scarf hat
wide shot model grey dark from left right
""".split()


def all_words() -> list[str]:
    """WORDS, then every word of the English lexicon's terms (lower case, a-z only)."""
    words = list(WORDS)
    for entry in json.loads(LEXICON.read_text(encoding="utf-8"))["entries"]:
        if entry.get("term"):
            words += re.findall(r"[a-z]+", entry["term"].lower())
    return list(dict.fromkeys(words))


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def bpe(word: str, merges: list[str]) -> list[str]:
    """CLIP's BPE on one word: repeatedly apply the lowest-ranked merge present."""
    ranks = {tuple(m.split(" ")): i for i, m in enumerate(merges)}
    symbols = list(word[:-1]) + [word[-1] + "</w>"]
    while len(symbols) > 1:
        pairs = [(ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(symbols, symbols[1:]))]
        rank, i = min(pairs)
        if rank == 1 << 30:
            break
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
    return symbols


def main(out: Path) -> None:
    chars = list(bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for tok in chars + [c + "</w>" for c in chars]:
        vocab.setdefault(tok, len(vocab))
    merges: list[str] = []
    words = all_words()
    # Left-to-right merges for each word, then repair: a word that an earlier word's merges
    # split differently gets extra merges joining its pieces, until every word is one token.
    for _ in range(10):
        changed = False
        for word in words:
            pieces = bpe(word, merges)
            left = pieces[0]
            for right in pieces[1:]:
                merged = left + right
                if f"{left} {right}" not in merges:
                    merges.append(f"{left} {right}")
                    changed = True
                vocab.setdefault(merged, len(vocab))
                left = merged
        if not changed:
            break
    assert all(len(bpe(w, merges)) == 1 for w in words)
    for special in ("<|startoftext|>", "<|endoftext|>"):
        vocab[special] = len(vocab)
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (out / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    print(f"{len(vocab)} tokens, {len(merges)} merges")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
