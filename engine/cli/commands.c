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
     "usage: kaoshi check [FILE...]\n\n"
     "Loads each certification script (.lua) with the banks it names, or each lone\n"
     "bank (.yaml), and reports every problem as FILE:LINE[:COLUMN]: ... on stderr.\n"
     "With no FILE, checks every script under scripts/ (scripts/lib holds modules).\n"
     "Warnings (e.g. a pool too small for fresh retake forms) start with 'warning:'.\n\n" COMMON,
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
     "number of disjoint forms the pool supports (items / questions drawn). Exits\n"
     "1 when a section has no item or the pools support fewer disjoint forms than\n"
     "the attempts the certification allows.\n\n" COMMON,
     cmd_coverage},
    {"sitting", "create, list, show, open and close sittings",
     "usage: kaoshi sitting create NAME --cert CODE|SCRIPT (--date YYYY-MM-DD |\n"
     "                              --opens TIME --closes TIME)\n"
     "       kaoshi sitting list [--json]\n"
     "       kaoshi sitting show NAME [--json]\n"
     "       kaoshi sitting open NAME\n"
     "       kaoshi sitting close NAME\n\n"
     "A sitting is one exam session of one certification. --date uses the\n"
     "certification's daily window; TIME is ISO 8601 with a zone, e.g.\n"
     "2027-07-18T15:30+08:00. 'open' checks the certification again and freezes\n"
     "its script, modules and banks into the database: editing the files later\n"
     "never changes this sitting. 'close' finishes attempts still running.\n\n" COMMON,
     cmd_sitting},
    {"enroll", "enroll candidates and issue access codes",
     "usage: kaoshi enroll SITTING FILE.csv\n\n"
     "FILE.csv lists one candidate per line as number,name (a header line\n"
     "'number,name' is optional). Everyone is enrolled or, on any error, nobody.\n"
     "Prints number,name,access_code: the one-time codes are shown only now; the\n"
     "database keeps only their argon2id hashes.\n\n" COMMON,
     cmd_enroll},
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
     "attempt from the sitting's frozen files and stored answers. Grading again\n"
     "gives the same results.\n\n" COMMON,
     cmd_grade},
    {"results", "list the attempts of a sitting with their results",
     "usage: kaoshi results SITTING [--json | --csv] [--publish]\n\n"
     "--publish grades the closed sitting again and publishes its results: they\n"
     "become final and candidates see them as the certification's review policy\n"
     "allows. It is refused while an essay answer waits for a mark ('kaoshi\n"
     "marking') and when the results already are published. Audited.\n\n" COMMON,
     cmd_results},
    {"mark", "record a person's mark for an essay answer",
     "usage: kaoshi mark ATTEMPT QUESTION FRACTION [--comment TEXT] [--as NAME]\n"
     "       kaoshi marking SITTING [--json]\n\n"
     "'mark' gives question QUESTION (from 1) of a finished attempt FRACTION (0 to\n"
     "1) of its points, with an optional comment, and grades the attempt again;\n"
     "only questions a person grades (essays) take marks, and marking again\n"
     "replaces the mark. --as NAME names the grader (an existing proctor account),\n"
     "else the grader is \"cli\". Every mark is written to the audit log.\n"
     "'marking' lists the answers of a sitting that still wait for a mark, with\n"
     "the question, its rubric and the candidate's answer. An attempt's result is\n"
     "final (pass or fail) once every such answer is marked.\n\n" COMMON,
     cmd_mark},
    {"marking", "list the essay answers of a sitting waiting for a mark",
     "usage: kaoshi marking SITTING [--json]\n\n"
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
     "       kaoshi proctor notes SITTING [--json]\n\n"
     "'add' creates a proctor account for the web console; only an argon2id hash of\n"
     "the password (8 to 1024 bytes, the first line of stdin) is stored.\n"
     "'extend' gives one attempt more time (DURATION like 10m or 1h30m, up to 24h).\n"
     "'pause' stops the attempt's clock: answers and the candidate's submit are\n"
     "refused until 'resume', which pushes the deadline back by the paused time.\n"
     "'submit' finishes the attempt now (reason \"forced\"), paused or not.\n"
     "'note' records an incident note; 'notes' lists a sitting's notes.\n"
     "Every action is written to the audit log with who and when; --as NAME names\n"
     "the acting proctor (an existing account), else the actor is \"cli\".\n\n" COMMON,
     cmd_proctor},
    {"serve", "serve the candidates' pages, the proctor console and the JSON API",
     "usage: kaoshi serve [--address ADDR] [--port N] [--threads N]\n"
     "                    [--max-connections N] [--per-ip N] [--secure-cookies]\n\n"
     "Serves the exam in a browser: candidates log in at / with the sitting, their\n"
     "candidate number and access code; proctors at /proctor (accounts from\n"
     "'kaoshi proctor add'). The JSON API the pages use is documented in\n"
     "docs/api.md. Pages, scripts and styles are compiled into kaoshi.\n\n"
     "  --address ADDR        listen on this IPv4 or IPv6 address (default 127.0.0.1)\n"
     "  --port N              listen on port N (default 8080; 0 picks a free port)\n"
     "  --threads N           worker threads, each with a database connection (4)\n"
     "  --max-connections N   open connections in all (1000)\n"
     "  --per-ip N            open connections from one address (0: no limit; an\n"
     "                        exam hall often shares one address)\n"
     "  --secure-cookies      mark cookies Secure (behind a TLS proxy)\n\n"
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
    {"certificate", "issue, show, verify and revoke certificates",
     "usage: kaoshi certificate issue SITTING [--key FILE]\n"
     "       kaoshi certificate show NUMBER\n"
     "       kaoshi certificate verify NUMBER | --file FILE [--key FILE | --public-key KEY]\n"
     "       kaoshi certificate revoke NUMBER --reason TEXT\n\n"
     "'issue' gives a certificate to every candidate of the sitting whose graded\n"
     "result is a pass (attempts waiting for a person's mark are skipped with a\n"
     "note), numbered CODE-YYYY-NNNNNN, with the candidate's name and number, the\n"
     "certification's title, role, series and issuer (its 'certificate' table,\n"
     "frozen with the sitting), the date and the score, signed with the key of\n"
     "'kaoshi keys init'. Issuing again never gives an attempt a second one.\n"
     "'show' prints the certificate document to hand to its holder: the payload,\n"
     "its Ed25519 signature and the public key. 'verify' checks a certificate of\n"
     "the register, or the document in FILE someone presents, against the\n"
     "installation's public key (from the key file, or --public-key as 'kaoshi keys\n"
     "show' prints it) and the revocation list; it prints 'valid: ...' and exits 0,\n"
     "or 'invalid: REASON' and exits 1. 'revoke' revokes one, audited.\n\n"
     "  --key FILE    the signing key (default: $KAOSHI_KEY, else ./kaoshi.key)\n\n" COMMON,
     cmd_certificate},
    {"stats", "compute a statistic from JSON inputs (see --list)", CMD_STATS_USAGE, cmd_stats},
    {"version", "print the version", "usage: kaoshi version\n", run_version},
    {0, 0, 0, 0},
};
