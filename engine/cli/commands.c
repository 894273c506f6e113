/* The table of kaoshi commands: one entry per command, each implemented in
 * its own cmd_*.c file, with its --help text. */
#include "cli/cli.h"
#include "cli/commands.h"

#include <stdio.h>

static int run_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("kaoshi " KAOSHI_VERSION);
    return CLI_OK;
}

#define COMMON                                                                           \
    "Common options:\n"                                                                  \
    "  --db FILE     the database (default: $KAOSHI_DB, else ./kaoshi.db)\n"             \
    "  --root DIR    the project holding scripts/ and banks/ (default: .)\n"             \
    "  --json        machine-readable output where the command has it\n"                 \
    "Exit status: 0 done, 1 refused or failed (message on stderr), 2 usage error,\n"     \
    "3 internal error.\n"

const cli_command cli_commands[] = {
    {"check", "check certification scripts and banks",
     "usage: kaoshi check [FILE...] [--seeds N] [--json]\n\n"
     "Loads each certification script (.lua) with the banks it names and runs every\n"
     "hook of every item on seeds 1..N: the form a seed draws, its view with and\n"
     "without the key, the response solve() gives (it must earn full marks) and\n"
     "sample responses score() must take. A lone bank (.yaml) is checked against the\n"
     "built-in question types. Every problem goes to stderr as FILE:LINE[:COLUMN]:\n"
     "..., a hook's with the hook, the item and its seeds. With no FILE, checks every\n"
     "script under scripts/ (scripts/lib holds modules). Warnings (e.g. a pool too\n"
     "small for fresh retake forms) and notes (e.g. an essay's key, which a person\n"
     "grades) start with 'warning:'.\n\n"
     "  --seeds N   seeds each item is exercised on (default 20, at most 1000; 0: none)\n"
     "  --json      the whole run as one JSON object on stdout (scripts/SCRIPTING.md,\n"
     "              \"Checking a certification\")\n\n" COMMON,
     cmd_check},
    {"preview", "show the form a seed draws, with keys",
     "usage: kaoshi preview CODE|SCRIPT --seed N [--json]\n\n"
     "Draws the form that seed N gives for a certification (by code, e.g. DEMO-CS,\n"
     "or script path) and prints every question with its key and explanation.\n"
     "The same seed always draws the same form. For authors only.\n\n" COMMON,
     cmd_preview},
    {"coverage", "show how well the banks cover each section",
     "usage: kaoshi coverage [CODE|SCRIPT...] [--json]\n\n"
     "For each certification (all under scripts/ when none is named), lists every\n"
     "section with the items that match its draw rules, by question type, and the\n"
     "number of disjoint forms the pool supports (units / questions drawn, a unit\n"
     "being a group of items, which never share a form, or an item of none). Exits\n"
     "1 when a section has no item or the pools support fewer disjoint forms than\n"
     "the attempts the certification allows.\n\n" COMMON,
     cmd_coverage},
    {"simulate", "simulate a sitting with synthetic candidates before it happens",
     "usage: kaoshi simulate CODE|SCRIPT --candidates N [--seed S] [--ability MEAN,SD]\n"
     "                       [--pace SECONDS] [--db FILE] [--root DIR] [--json]\n\n"
     "Runs N synthetic candidates through the real exam: sittings created and\n"
     "opened from the script (simulation-1 for the first attempts, simulation-2\n"
     "for the first retakes, ...), forms drawn by the engine, answers saved,\n"
     "attempts submitted or ended by their deadline and graded, retakes as the\n"
     "script's policy allows them, on a clock the simulation moves (a waiting\n"
     "period is waited out, up to 400 days). Prints the pass rate on the first\n"
     "attempt and after each retake, scores, time pressure, item exposure and\n"
     "how many retakes the pools serve without repeating an item. The database\n"
     "is temporary unless --db names a new file to keep for 'kaoshi results' and\n"
     "'kaoshi report'. The same seed gives the same report.\n\n"
     "The candidates (scripts/SCRIPTING.md, \"Simulating a sitting\"):\n"
     "  ability     theta ~ Normal(MEAN, SD) logits; +0.25 for each retake\n"
     "  difficulty  b = difficulty - 3: the bank's 1..5 is -2..+2 (none: 0)\n"
     "  answer      right with P = 1 / (1 + exp(-(theta - b))) (Rasch): the key as\n"
     "              the question type reveals it; else a wrong answer of the\n"
     "              right shape (another option, a number outside the tolerance,\n"
     "              a wrong order, empty blanks, empty text for an essay).\n"
     "              Essays wait for a person's mark: the simulation marks them,\n"
     "              1 when right, 0 when empty, and says how many it marked.\n"
     "  time        per question lognormal, median by type at difficulty 3:\n"
     "              true_false 30 s, single 60, fill 75, multiple 90, ordering 90,\n"
     "              matching 120, numeric 120, calculated 240, essay 480, others\n"
     "              90; x1.25 per step of difficulty; sd of the log 0.4; times a\n"
     "              speed drawn per candidate (sd of the log 0.25). Questions not\n"
     "              reached by the deadline stay unanswered.\n\n"
     "  --candidates N     how many candidates (1 to 100000)\n"
     "  --seed S           every draw, the forms' included, comes from S (default 1)\n"
     "  --ability MEAN,SD  the candidates' ability in logits (default 0,1)\n"
     "  --pace SECONDS     the median time of a single-choice question of medium\n"
     "                     difficulty, which scales every median (default 60)\n"
     "  --db FILE          keep the database in FILE, which must not exist yet\n"
     "  --root DIR         the project holding scripts/ and banks/ (default: .)\n"
     "  --json             the report as JSON\n"
     "Exit status: 0 done, 1 the certification fails to load or a script fails\n"
     "during the run (file:line on stderr), 2 usage error, 3 internal error.\n",
     cmd_simulate},
    {"sitting", "create, list, show, open, amend and close sittings; their audit log",
     "usage: kaoshi sitting create NAME --cert CODE|SCRIPT (--date YYYY-MM-DD |\n"
     "                              --opens TIME --closes TIME)\n"
     "       kaoshi sitting list [--json]\n"
     "       kaoshi sitting show NAME [--json]\n"
     "       kaoshi sitting open NAME\n"
     "       kaoshi sitting amend NAME --reason TEXT [--as NAME]\n"
     "       kaoshi sitting close NAME\n"
     "       kaoshi sitting log NAME [--json]\n\n"
     "A sitting is one exam session of one certification. --date uses the\n"
     "certification's daily window; TIME is ISO 8601 with a zone, e.g.\n"
     "2027-07-18T15:30+08:00. 'open' checks the certification again, runs every\n"
     "hook as 'kaoshi check' does (a failure keeps the sitting a draft), and freezes\n"
     "its script, modules and banks into the database as version 1: editing the\n"
     "files later never changes this sitting. 'close' finishes attempts still\n"
     "running. 'show' lists the versions with when, who, why and their sha256.\n\n"
     "'amend' corrects an open or closed sitting: it loads, checks and exercises\n"
     "the certification as it is on disk now, as 'open' does, and freezes it as\n"
     "the sitting's next version, audited (sitting.amend) with the reason (1 to\n"
     "2000 bytes of UTF-8, required), the files changed, added and removed and\n"
     "any warning; --as NAME names the proctor who amends (an existing account),\n"
     "else the actor is \"cli\". Forms already drawn keep their items, data and\n"
     "points and take the amended keys, stems and scoring rules; running attempts\n"
     "continue; new attempts draw from the amended banks. What an amendment does\n"
     "not change is a warning on stderr: the points of questions already drawn\n"
     "(their pages showed them; attempts started later get the new points), and\n"
     "the duration, grace and window, which stay as frozen at open. 'kaoshi\n"
     "grade' then regrades with the new version ('kaoshi results NAME\n"
     "--changes'). Refused, with nothing written, for a draft, for sources\n"
     "identical to the current version's, when a question drawn on a form of the\n"
     "sitting has its item missing from the amended banks, of another type,\n"
     "failing to present, taking answers of another shape or showing its\n"
     "options in other places (answers name options by their place; a corrected\n"
     "item keeps its id, a new question needs a new id), and when the\n"
     "certification fails its checks.\n"
     "'log' prints the sitting's audit log, oldest first: time, actor, action,\n"
     "attempt and details.\n\n" COMMON,
     cmd_sitting},
    {"enroll", "enroll candidates and issue access codes",
     "usage: kaoshi enroll SITTING FILE.csv\n\n"
     "FILE.csv lists one candidate per line as number,name (a header line\n"
     "'number,name' is optional). The header line 'number,name,extra_time' adds a\n"
     "column of accommodations: each candidate's extra time for every attempt in\n"
     "the sitting, retakes included (empty: none):\n"
     "  30m, +30m, 1h30m    that much more time (the unit is needed: h, m or s)\n"
     "  x1.25, 125%         the duration times a factor (x1 to x4; also X1.25, ×1.25)\n"
     "  x1.25+10m           both\n"
     "The candidate's duration is duration x factor + extra, at most 24h more,\n"
     "and the window's close moves back as far for them: extra time is never lost\n"
     "to it. A wrong cell is reported as FILE:LINE:COLUMN. Everyone is enrolled\n"
     "or, on any error, nobody; each enrollment is audited with its extra time.\n"
     "Prints number,name,access_code (and extra_time): the one-time codes are\n"
     "shown only now; the database keeps only their argon2id hashes.\n"
     "'kaoshi accommodate' changes a candidate's extra time afterwards.\n\n" COMMON,
     cmd_enroll},
    {"accommodate", "set or change a candidate's extra time in a sitting",
     "usage: kaoshi accommodate SITTING CANDIDATE EXTRA_TIME\n\n"
     "Sets the extra time of candidate CANDIDATE, enrolled in SITTING, written as\n"
     "in the extra_time column of 'kaoshi enroll' (30m, x1.25, x1.25+10m); 'none'\n"
     "removes it. Attempts started from now on get it, retakes included; an\n"
     "attempt already running keeps its deadline ('kaoshi proctor extend' gives it\n"
     "more). Refused once the sitting is closed. Audited with the extra time it\n"
     "replaces.\n\n" COMMON,
     cmd_accommodate},
    {"attempt", "start, answer, submit and show attempts",
     "usage: kaoshi attempt start SITTING CANDIDATE --code ACCESS_CODE [--json]\n"
     "       kaoshi attempt answer ATTEMPT QUESTION RESPONSE_JSON [--key KEY]\n"
     "       kaoshi attempt submit ATTEMPT\n"
     "       kaoshi attempt show ATTEMPT [--keys] [--json]\n\n"
     "'start' begins the candidate's next attempt (or resumes the running one) if\n"
     "the sitting is open, its window has begun and the retake policy allows it.\n"
     "'answer' saves the response to question QUESTION (from 1) and reports only\n"
     "after it is committed; --key makes a retried save idempotent. Responses are\n"
     "JSON objects: {\"choice\":2}, {\"choices\":[1,3]}, {\"value\":true},\n"
     "{\"blanks\":[\"...\"]}, {\"value\":12.5}, {\"order\":[3,1,2]},\n"
     "{\"matches\":[2,1,3]}, {\"text\":\"...\"} (see scripts/SCRIPTING.md).\n"
     "Answers after the deadline (plus grace) are refused; the attempt is finished\n"
     "at its deadline. 'show' prints the questions as the candidate sees them;\n"
     "--keys (proctors and authors only) adds each key and the form's seed.\n\n" COMMON,
     cmd_attempt},
    {"grade", "grade the finished attempts of a sitting",
     "usage: kaoshi grade SITTING\n\n"
     "Finishes overdue attempts at their deadline, then grades every finished\n"
     "attempt from the current version of the sitting's frozen files and the\n"
     "stored answers. Grading again gives the same results. After 'kaoshi sitting\n"
     "amend' it regrades with the new version: a result graded with an earlier\n"
     "version whose score, maximum or outcome differs is recorded as changed\n"
     "('kaoshi results SITTING --changes'); a certificate whose result no longer\n"
     "passes is flagged (never revoked: 'kaoshi certificate revoke' decides), and\n"
     "its flag is cleared when the result passes again. Each is audited. Once the\n"
     "sitting has been amended, or when a flag changed, a second line says so:\n"
     "  with version 2: 1 result changed, 1 certificate flagged, 0 flags cleared\n"
     "  (see 'kaoshi results SITTING --changes')\n"
     "When the results were published already, a third line says that the\n"
     "candidates see the changed ones now, and the audit log records it\n"
     "(results.regrade, with the counts):\n"
     "  1 published result changed: the candidates of SITTING see the new result now\n\n"
     COMMON,
     cmd_grade},
    {"results", "list the attempts of a sitting with their results",
     "usage: kaoshi results SITTING [--json | --csv] [--publish]\n"
     "       kaoshi results SITTING --changes [--json]\n\n"
     "Every attempt with its score, maximum, percent and outcome (running,\n"
     "ungraded, pending a person's mark, pass, fail), followed by the reason the\n"
     "grading gives when it gives one and \"certificate NUMBER flagged\" (or\n"
     "revoked) when the attempt's certificate is; --json adds the grading detail,\n"
     "the version graded with and the certificate; --csv has the columns\n"
     "candidate,name,attempt,state,score,max_score,percent,outcome,reason (why a\n"
     "result fails, in the pass rule's words; empty otherwise).\n"
     "--publish grades the closed sitting again and publishes its results:\n"
     "candidates see them as the certification's review policy allows, and marks\n"
     "can no longer change them; only an amendment can ('kaoshi sitting amend',\n"
     "for a wrong key), and 'kaoshi grade' then says that published results\n"
     "changed and audits it. It is refused while an essay answer waits for a mark\n"
     "('kaoshi marking') and when the results already are published. Audited.\n"
     "--changes lists, for each amendment ('kaoshi sitting amend'), the results\n"
     "regrading with it changed: candidate, score/max before -> after, outcome\n"
     "before -> after, and the certificate's flag; --json gives the versions, the\n"
     "changes and the certificates flagged now.\n\n" COMMON,
     cmd_results},
    {"report", "item and test statistics of sittings (Moodle's quiz statistics)",
     "usage: kaoshi report SITTING [SITTING...] [--json | --csv | --html FILE]\n"
     "                     [--attempts first|all] [--compare SITTING_B | --compare-retakes]\n\n"
     "The statistics of the sittings' finished, graded attempts as Moodle's quiz\n"
     "statistics report defines them (docs/analytics.md). The test: mean, median,\n"
     "SD, skewness, kurtosis, coefficient of internal consistency (CIC), error\n"
     "ratio, standard error, KR-20 when every question is all or nothing. Each\n"
     "question slot (section and position; forms are drawn at random) and each\n"
     "bank item (over the attempts that drew it): facility index, SD, random\n"
     "guess score, intended and effective weight, discrimination index and\n"
     "efficiency, share of full points, point-biserial, upper-lower 27% index D;\n"
     "the options each group chose; and the questions to look at, with why.\n"
     "Sittings reported together must be of one certification with the same\n"
     "sections. Attempts running, not graded yet ('kaoshi grade') or waiting for\n"
     "a person's mark are left out; nothing is written to the database.\n\n"
     "  --json             the whole report as JSON\n"
     "  --csv              one row per item\n"
     "  --html FILE        write a self-contained page in Chinese for proctors\n"
     "  --attempts all     every graded attempt, retakes included (the default)\n"
     "  --attempts first   only candidates' first attempt at the certification\n"
     "                     (Moodle's advice: retakes may bias item statistics)\n"
     "  --compare SITTING_B  Welch's t-test of the scores (percent of the maximum)\n"
     "                     against those of another sitting\n"
     "  --compare-retakes  Welch's t-test of first attempts against retakes\n\n" COMMON,
     cmd_report},
    {"mark", "mark an answer a person grades, or override an automatic score",
     "usage: kaoshi mark ATTEMPT QUESTION FRACTION [--comment TEXT] [--as NAME]\n"
     "       kaoshi mark ATTEMPT QUESTION FRACTION --override --comment TEXT\n"
     "                   [--as NAME]\n"
     "       kaoshi mark ATTEMPT QUESTION --clear [--comment TEXT] [--as NAME]\n"
     "       kaoshi marking SITTING [--marked] [--json]\n\n"
     "'mark' gives question QUESTION (from 1) of a finished attempt FRACTION (0 to\n"
     "1) of its points, with an optional comment, and grades the attempt again;\n"
     "only questions a person grades (essays) take marks, and marking again\n"
     "replaces the mark. --override replaces the score the question's type gave\n"
     "an answer scored automatically with FRACTION; --comment, the reason, is\n"
     "required. --clear removes the mark or override (the comment, optional, says\n"
     "why): the question's type scores the answer again, or the essay waits for a\n"
     "mark again. --as NAME names the grader (an existing proctor account), else\n"
     "the grader is \"cli\". Every change is written to the audit log\n"
     "(answer.mark; mark.override and mark.clear with the fraction before and\n"
     "after). Nothing changes while the attempt runs or once the sitting's results\n"
     "are published. When the review policy shows answers, candidates see that a\n"
     "person scored the question, and the comment (an override's reason too):\n"
     "write it for the candidate. A comment is at most 2000 bytes of UTF-8.\n"
     "'marking' lists the answers of a sitting that still wait for a mark, with\n"
     "the question, its rubric and the candidate's answer; --marked lists the\n"
     "marks and overrides given instead, an override with the automatic score it\n"
     "replaces. An attempt's result is final (pass or fail) once every answer a\n"
     "person grades is marked.\n\n" COMMON,
     cmd_mark},
    {"marking", "list the answers waiting for a mark, or the marks given",
     "usage: kaoshi marking SITTING [--marked] [--json]\n\n"
     "See 'kaoshi mark --help'.\n\n" COMMON,
     cmd_marking},
    {"proctor", "proctor accounts and actions on one attempt",
     "usage: kaoshi proctor add NAME              (the password is read from stdin)\n"
     "       kaoshi proctor list [--json]\n"
     "       kaoshi proctor extend ATTEMPT DURATION [--as NAME]\n"
     "       kaoshi proctor pause ATTEMPT [--as NAME]\n"
     "       kaoshi proctor resume ATTEMPT [--as NAME]\n"
     "       kaoshi proctor submit ATTEMPT [--as NAME]\n"
     "       kaoshi proctor note ATTEMPT TEXT [--as NAME]\n"
     "       kaoshi proctor notes SITTING [--json]\n"
     "       kaoshi proctor status SITTING [--json]\n\n"
     "'add' creates a proctor account for the web console; only an argon2id hash of\n"
     "the password (8 to 1024 bytes, the first line of stdin) is stored.\n"
     "'extend' gives one attempt more time (DURATION like 10m or 1h30m, up to 24h).\n"
     "'pause' stops the attempt's clock: answers and the candidate's submit are\n"
     "refused until 'resume', which pushes the deadline back by the paused time.\n"
     "'submit' finishes the attempt now (reason \"forced\"), paused or not.\n"
     "'note' records an incident note; 'notes' lists a sitting's notes.\n"
     "'status' lists a sitting's candidates: the state of their latest attempt,\n"
     "its deadline and time left, and its extra time as it started (when the\n"
     "candidate's has changed since, the time it got), or, before they start,\n"
     "their extra time ('kaoshi enroll', 'kaoshi accommodate').\n"
     "Every action is written to the audit log with who and when; --as NAME names\n"
     "the acting proctor (an existing account), else the actor is \"cli\".\n\n" COMMON,
     cmd_proctor},
    {"serve", "serve the candidates' pages, the proctor console and the JSON API",
     "usage: kaoshi serve [--address ADDR] [--port N] [--threads N]\n"
     "                    [--max-connections N] [--per-ip N] [--timeout S]\n"
     "                    [--trust-proxy ADDR] [--secure-cookies]\n"
     "                    [--key FILE | --public-key KEY] [--url BASE]\n"
     "                    [--events-wait S]\n\n"
     "Serves the exam in a browser: candidates log in at / with the sitting, their\n"
     "candidate number and access code; proctors at /proctor (accounts from\n"
     "'kaoshi proctor add'). Anyone may check a certificate at /verify, and a\n"
     "candidate downloads the PDF of their certificate from the result page. The\n"
     "JSON API the pages use is documented in docs/api.md. Pages, scripts and\n"
     "styles are compiled into kaoshi.\n\n"
     "  --address ADDR        listen on this IPv4 or IPv6 address (default 127.0.0.1)\n"
     "  --port N              listen on port N (default 8080; 0 picks a free port)\n"
     "  --threads N           worker threads, each with a database connection (4)\n"
     "  --max-connections N   open connections in all (1000)\n"
     "  --per-ip N            open connections from one address (128; 0: no limit);\n"
     "                        a hall behind one NAT address needs about 2 per\n"
     "                        candidate\n"
     "  --timeout S           close a connection silent for S seconds, mid-request\n"
     "                        too (10)\n"
     "  --trust-proxy ADDR    the reverse proxy at ADDR names the client in\n"
     "                        X-Forwarded-For (rate limits and the audit log use it);\n"
     "                        --per-ip then defaults to 0, the proxy limits clients\n"
     "  --secure-cookies      mark cookies Secure (behind a TLS proxy)\n"
     "  --key FILE            verify certificates with the public part of this\n"
     "                        signing key (default: $KAOSHI_KEY, else ./kaoshi.key\n"
     "                        if it exists; with no key /verify answers 503)\n"
     "  --public-key KEY      verify with this public key ('kaoshi keys show'), so\n"
     "                        the server need not read the secret key\n"
     "  --url BASE            the server's address as its users reach it, e.g.\n"
     "                        https://kaoshi.example.org: downloaded certificates\n"
     "                        show BASE/verify/NUMBER and a QR code of it\n"
     "  --events-wait S       answer a long poll for events (a proctor's pause\n"
     "                        reaching the candidate's page) after S seconds\n"
     "                        without any, 1 to 25 (25: a page silent for 30 s\n"
     "                        shows as offline in the console); at most half\n"
     "                        of --max-connections wait at once\n\n"
     "Prints 'serving http://ADDR:PORT/' once it listens. SIGINT or SIGTERM stops it\n"
     "after the answer saves in flight have committed; every attempt continues with\n"
     "its time left when it starts again.\n\n" COMMON,
     cmd_serve},
    {"keys", "create and show the key that signs certificates",
     "usage: kaoshi keys init [--key FILE] [--json]\n"
     "       kaoshi keys show [--key FILE] [--json]\n\n"
     "'init' generates the installation's Ed25519 signing key and writes its secret\n"
     "part to FILE with mode 0600; it refuses to overwrite an existing file. 'show'\n"
     "prints the public key (base64) and its fingerprint, which verifiers of\n"
     "certificates need. A key file that group or others may access is refused.\n\n"
     "  --key FILE    the secret key (default: $KAOSHI_KEY, else ./kaoshi.key)\n\n" COMMON,
     cmd_keys},
    {"certificate", "issue, list, show, verify, revoke and print certificates",
     "usage: kaoshi certificate issue SITTING [--key FILE]\n"
     "       kaoshi certificate list SITTING [--json]\n"
     "       kaoshi certificate show NUMBER\n"
     "       kaoshi certificate verify NUMBER | --file FILE [--key FILE | --public-key KEY]\n"
     "       kaoshi certificate revoke NUMBER --reason TEXT\n"
     "       kaoshi certificate pdf NUMBER [-o FILE] [--url BASE]\n"
     "                              [--key FILE | --public-key KEY]\n\n"
     "'issue' gives a certificate to every candidate of the sitting whose graded\n"
     "result is a pass (attempts waiting for a person's mark are skipped with a\n"
     "note), numbered CODE-YYYY-NNNNNN, with the candidate's name and number, the\n"
     "certification's title, role, series and issuer (its 'certificate' table,\n"
     "frozen with the sitting), the date and the score, signed with the key of\n"
     "'kaoshi keys init'. Issuing again never gives an attempt a second one.\n"
     "'list' prints the certificates of a sitting with their state: valid,\n"
     "flagged (a regrade after 'kaoshi sitting amend' found that the result no\n"
     "longer passes; it stays valid until revoked) or revoked, with the reason.\n"
     "'show' prints the certificate document to hand to its holder: the payload,\n"
     "its Ed25519 signature and the public key (and a note on stderr when it is\n"
     "flagged). 'verify' checks a certificate of\n"
     "the register, or the document in FILE someone presents, against the\n"
     "installation's public key (from the key file, or --public-key as 'kaoshi keys\n"
     "show' prints it) and the revocation list; it prints 'valid: ...' and exits 0,\n"
     "or 'invalid: REASON' and exits 1. 'revoke' revokes one, audited.\n"
     "'pdf' verifies a certificate of the register as 'verify' does and writes it\n"
     "as a PDF to hand to its holder (A4 landscape, in Chinese, the font\n"
     "WenQuanYi Zen Hei embedded): series and title, name, role, code, score, date,\n"
     "issuer, number, the fingerprints of its signature and of the key, and where\n"
     "to verify it. A revoked or altered certificate is refused. The file is\n"
     "written whole or not at all.\n\n"
     "  --key FILE          the signing key (default: $KAOSHI_KEY, else ./kaoshi.key)\n"
     "  -o, --output FILE   where 'pdf' writes (default: NUMBER.pdf)\n"
     "  --url BASE          the address of 'kaoshi serve' as its users reach it,\n"
     "                      e.g. https://kaoshi.example.org: the PDF then shows\n"
     "                      BASE/verify/NUMBER and a QR code of it (default: the\n"
     "                      path /verify/NUMBER alone, without a QR code)\n\n" COMMON,
     cmd_certificate},
    {"stats", "compute a statistic from JSON inputs (see --list)", CMD_STATS_USAGE, cmd_stats},
    {"version", "print the version", "usage: kaoshi version\n", run_version},
    {0, 0, 0, 0},
};
