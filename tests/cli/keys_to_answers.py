"""Reads `kaoshi attempt show --keys --json` on stdin and prints, one per line,
"QUESTION RESPONSE_JSON" with the right answer to every question, for the CLI
tests of the whole sitting. Choices are named by their place on the page:
key["shown"][d-1] is the bank's number of the entry shown at place d."""
import json
import sys


def place(key, bank_number):
    return key["shown"].index(bank_number) + 1


attempt = json.load(sys.stdin)
for q in attempt["questions"]:
    key = q["key"]
    kind = key["type"]
    if kind == "single":
        r = {"choice": place(key, key["answer"])}
    elif kind == "multiple":
        r = {"choices": [place(key, a) for a in key["answer"]]}
    elif kind == "true_false":
        r = {"value": key["answer"]}
    elif kind == "fill":
        r = {"blanks": [a if isinstance(a, str) else a[0] for a in key["answers"]]}
    elif kind == "numeric":
        r = {"value": key["answer"]}
    elif kind == "ordering":
        r = {"order": [place(key, k) for k in range(1, len(key["items"]) + 1)]}
    elif kind == "matching":
        r = {"matches": [place(key, i) for i in range(1, len(key["pairs"]) + 1)]}
    elif kind == "calculated":
        r = {key["response"]: key["answer"]}
    else:
        r = {"text": "先认可客户情绪，再查清原因并给出跟进承诺。"}
    print(q["question"], json.dumps(r, ensure_ascii=False, separators=(",", ":")))
