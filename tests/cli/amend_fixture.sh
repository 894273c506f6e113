# Shared set-up for the amendment tests (test_amend.sh, test_http_amend.sh):
#   change_key ID...   gives each item of banks/demo.yaml a key its old key
#                      scores nothing against
#   item_of QUESTION   the item id of question QUESTION (from 1) of the form
#                      in keys.json (`kaoshi attempt show ATTEMPT --keys --json`)

# change_key: a single choice gets the next option, a true/false the other
# value, a multiple choice the other options; the rest stays as it was.
change_key() {
    python3 - "$@" <<'PY'
import re, sys
path = "banks/demo.yaml"
text = open(path).read()
for item in sys.argv[1:]:
    start = text.index("  - id: %s\n" % item)
    end = text.find("\n  - id:", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    kind = re.search(r"(?m)^    type: (\S+)$", block).group(1)
    answer = re.search(r"(?m)^    answer: (.*)$", block).group(1)
    options = len(re.findall(r"(?m)^      - ", block))
    if kind == "single":
        new = str(int(answer) % options + 1)
    elif kind == "true_false":
        new = "false" if answer == "true" else "true"
    elif kind == "multiple":
        old = {int(a) for a in answer.strip("[]").split(",")}
        new = "[%s]" % ", ".join(str(o) for o in range(1, options + 1) if o not in old)
    else:
        sys.exit("change_key: %s is %s" % (item, kind))
    block = block.replace("    answer: " + answer, "    answer: " + new, 1)
    text = text[:start] + block + text[end:]
open(path, "w").write(text)
PY
}

item_of() {
    python3 -c 'import json,sys; print(json.load(open("keys.json"))["questions"][int(sys.argv[1]) - 1]["key"]["id"])' "$1"
}
