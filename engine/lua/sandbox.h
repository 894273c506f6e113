/* The Lua 5.4 sandbox every certification script runs in: one lua_State with
 * a memory cap, an instruction budget and a wall-clock deadline per call,
 * only the safe parts of the standard library, and one environment per
 * loaded chunk. Scripts are untrusted: a bad one gets a clear error and the
 * state stays usable. Binding layer (lua.h); depends on kaoshi/error.h,
 * engine/lua/pattern.c (the step-counted string matcher) and
 * lua/embedded.h (the engine's own Lua files, which positions never name).
 *
 * What a script sees (each loaded chunk gets a fresh environment):
 *   - base: assert error getmetatable ipairs next pairs pcall rawequal rawget
 *     rawlen rawset select setmetatable tonumber tostring type xpcall _VERSION,
 *     _G (the chunk's own environment), load (text only; the environment
 *     defaults to the caller's; chunk name "=(load)"), require (below). Not
 *     there: dofile, loadfile, collectgarbage, print, warn. print is left out
 *     on purpose: its output would bypass the engine; a host that wants one
 *     (e.g. to collect an author's debug output) adds it with
 *     ks_sandbox_set_global.
 *   - string (no dump; find, match, gmatch and gsub are the step-counted
 *     versions of engine/lua/pattern.c), table, math (no random or
 *     randomseed: randomness is the engine's), utf8, coroutine. No io, os,
 *     package or debug.
 *   - Library tables, and tables added with ks_sandbox_set_global, are
 *     copied into an environment (with the tables they hold, such as
 *     kaoshi.score) when it first reads them: a script may change its own
 *     `string` but never another script's or the engine's. String methods
 *     (("x"):upper()) use the library table itself, which no script can
 *     reach: getmetatable("") is false.
 *   - Reading a name that is not defined raises "undeclared global 'x'";
 *     assigning one raises "assignment to undeclared global 'x' (use local)";
 *     assigning a standard name raises "assignment to read-only global 'x'".
 *   - setmetatable refuses metatables with a __gc field ("__gc metamethods
 *     are not allowed"): finalizers would run outside any limit.
 *   - Once a limit is hit, xpcall's message handler is skipped, and a
 *     coroutine the limit error ended is never closed (coroutine.wrap leaves
 *     a failed coroutine unclosed; coroutine.close returns false): Lua runs
 *     such code with hooks off, so it could loop unbounded.
 *   - require(name): name is [a-z0-9_] words joined by single dots; the text
 *     comes from the loader (ks_sandbox_set_loader) and is compiled as text
 *     once per sandbox; the module runs in its own environment once until
 *     ks_sandbox_forget_modules (then again, in a fresh one, with no state of
 *     the earlier run); its result (true if it returns nothing) is cached
 *     until then. A failed module is not cached; a cycle is an error.
 *   - Each ks_sandbox_call runs in a coroutine of its own, so that the stack
 *     of a failed call can still be read: coroutine.running() returns it,
 *     and a yield outside the script's own coroutines ends the call with
 *     "attempt to yield from outside a coroutine". A failed call then closes
 *     its pending to-be-closed variables, as lua_pcall would, unless a limit
 *     ended it in the count hook (above: its hooks are off).
 *
 * Error messages name the script's file and line wherever Lua knows them. A
 * script frame is a function compiled from a file ("@FILE": a chunk of
 * ks_sandbox_load or a module), not the text of load() ("=NAME"), a C
 * function, or the engine's own Lua (engine/lua/embedded.h: author.lua,
 * types.lua, which an author can do nothing about). An error that does not
 * start with "FILE:LINE:" gets the position of the innermost script frame
 * on the failed call's stack: memory errors, a yield outside a coroutine,
 * errors C raises with no position ("C stack overflow" in a gsub callback or
 * a __tostring), values that are not strings ("(error object is a table
 * value)"); a limit error gets the one of where the limit struck. A string
 * raised by error() keeps what error() made of it: error(msg, 0) is how a
 * script asks for no position. Without a script frame (a failure inside
 * the engine's Lua alone) a message gets no position. Before it reaches
 * err, a message's runs of repeated prefixes ("a: b: a: b: a: b: msg", as
 * nested coroutine.wraps leave them) are written once with "(repeated N
 * times)", and it is cut to 512 bytes, ending in "…".
 *
 * Limits, enforced while ks_sandbox_load or ks_sandbox_call runs (host code
 * between calls is never interrupted by them):
 *   - memory: live bytes of the whole state; an allocation that would pass the
 *     cap fails, and the call reports "memory limit exceeded (64 MiB)".
 *   - instructions: a count hook every 1000 VM instructions adds to a
 *     counter shared by every coroutine of the state; pattern matching and
 *     the C functions whose work is not bounded by their output (table.sort,
 *     table.move) charge their steps to it too, and string.rep of empty
 *     strings returns at once. Past the budget the call
 *     fails with "FILE:LINE: instruction limit exceeded (N)", and the error
 *     is sticky: it fires again at once however often the script catches it.
 *   - seconds: a wall-clock deadline checked by the same hook and charges,
 *     and by every allocation of 64 KiB or more. It is a backstop for C work
 *     the count hook cannot see between two hook calls (comparing or
 *     converting strings of many megabytes): such work can overrun the
 *     deadline by up to 1000 such instructions. */
#ifndef KAOSHI_LUA_SANDBOX_H
#define KAOSHI_LUA_SANDBOX_H

#include <lua.h>
#include <stddef.h>

#include "kaoshi/error.h"

typedef struct ks_sandbox ks_sandbox;

/* A zero field takes its default. */
typedef struct ks_sandbox_limits {
    size_t memory_bytes;        /* live bytes of the state; default 64 MiB */
    unsigned long instructions; /* per ks_sandbox_call; default 50,000,000 */
    double seconds;             /* wall clock per ks_sandbox_call; default 10 */
} ks_sandbox_limits;

/* A new sandbox with the given limits (NULL: the defaults), or NULL with err
 * set. */
ks_sandbox *ks_sandbox_new(const ks_sandbox_limits *limits, ks_error *err);
void ks_sandbox_free(ks_sandbox *sb);

/* The sandbox's state, for pushing arguments and reading results. Run script
 * code only through ks_sandbox_call, which applies the limits. */
lua_State *ks_sandbox_lua(ks_sandbox *sb);

/* The module loader behind `require`: sets *text and *len to the source of module
 * NAME (e.g. "ccom" -> the contents of scripts/ccom.lua) and *chunkname to
 * the name errors should show ("scripts/ccom.lua"), or returns an error whose
 * message the script's error will carry. The strings need only stay valid
 * until the loader is called again. */
typedef ks_status (*ks_sandbox_loader)(void *ud, const char *name, const char **text,
                                       size_t *len, const char **chunkname, ks_error *err);
void ks_sandbox_set_loader(ks_sandbox *sb, ks_sandbox_loader fn, void *ud);

/* Pops the value on top of the stack and makes it the read-only global NAME
 * of every environment created afterwards (a table is copied one level deep
 * into each environment). May replace a standard name. */
void ks_sandbox_set_global(ks_sandbox *sb, const char *name);

/* Compiles TEXT (text only, never bytecode) as chunk "@"CHUNKNAME, so errors
 * read "CHUNKNAME:LINE: ...", with a fresh environment, and pushes the
 * function. On error pushes nothing and err (KS_ESCRIPT) holds the message. */
ks_status ks_sandbox_load(ks_sandbox *sb, const char *chunkname, const char *text,
                          size_t len, ks_error *err);

/* Keeps the main function of a chunk on top (popped) to be run again, and
 * returns a reference for ks_sandbox_load_kept. */
int ks_sandbox_keep_code(ks_sandbox *sb);

/* Pushes the kept main function REF with a fresh environment: run again, it
 * makes new upvalues and locals and sees new globals, as if its text were
 * compiled again. Fails only when out of memory. */
ks_status ks_sandbox_load_kept(ks_sandbox *sb, int ref, ks_error *err);

/* Makes every module run again, in a fresh environment, on its next require
 * (its compiled function is kept): module state lives only until the next
 * call of this. */
void ks_sandbox_forget_modules(ks_sandbox *sb);

/* Calls the function below the NARGS arguments on top of the stack (of the
 * state ks_sandbox_lua gives, even from a C function a script called), like
 * lua_pcall, with a fresh instruction budget and deadline (a nested call
 * shares its caller's). On success leaves NRESULTS results (LUA_MULTRET:
 * all). On failure leaves nothing, err (KS_ESCRIPT) holds "WHAT failed:
 * FILE:LINE: message" (just the message when WHAT is NULL; the position as
 * above), and ks_sandbox_traceback gives the stack traceback. A call that
 * swallowed a limit error with pcall still fails. */
ks_status ks_sandbox_call(ks_sandbox *sb, int nargs, int nresults, const char *what,
                          ks_error *err);

/* The stack traceback of the last failed ks_sandbox_call ("" if none). */
const char *ks_sandbox_traceback(const ks_sandbox *sb);

/* When the value at idx is a function of a script (as above: not C, not
 * load()ed text, not the engine's Lua), writes "FILE:LINE" of its definition
 * to buf and returns 1; else returns 0 with buf "". For naming the hook
 * whose result the engine cannot use. */
int ks_sandbox_defined_at(lua_State *L, int idx, char *buf, size_t cap);

/* The instructions the last ks_sandbox_call charged to its budget (the
 * running one's so far, from inside it): VM instructions, counted a thousand
 * at a time, plus the steps C functions charged. Equal to the budget once
 * the instruction limit stopped the call. */
unsigned long ks_sandbox_spent(const ks_sandbox *sb);

/* For C functions called by scripts: charges WORK instructions to the running
 * call's budget, raising the limit error (a Lua error) when it is spent or
 * the deadline has passed. Use it for loops whose length a script chooses. */
void ks_sandbox_charge(lua_State *L, unsigned long work);

#endif
