/* Internals shared by the sandbox's files: the sandbox itself and its
 * limits' state, the registry key of the environments' template, the mark of
 * a coroutine whose hooks are off, and what the functions scripts get
 * (engine/lua/sandbox_libs.c) use of the limits, environments and error
 * texts (engine/lua/sandbox.c). Not a public header. Binding layer (lua.h). */
#ifndef KAOSHI_LUA_SANDBOX_IMPL_H
#define KAOSHI_LUA_SANDBOX_IMPL_H

#include <stddef.h>

#include "lua/sandbox.h"

enum stop { RUNNING, OUT_OF_INSTRUCTIONS, OUT_OF_TIME };

struct ks_sandbox {
    lua_State *L;
    ks_sandbox_limits limits;
    size_t used;           /* live bytes of the state */
    int capped;            /* memory cap enforced (inside load or call) */
    int reporting;         /* a failed call's error is being turned into text */
    int depth;             /* nesting of ks_sandbox_call */
    lua_State *call_thread; /* the coroutine the innermost call runs in */
    lua_CFunction stock_error; /* the base library's error() */
    unsigned long spent;   /* instructions charged in this call */
    double deadline;       /* monotonic seconds */
    enum stop stop;        /* sticky until the outermost call ends */
    char stop_msg[256];    /* the first limit error raised, with its position */
    ks_sandbox_loader loader;
    void *loader_ud;
    char traceback[4096];
};

/* Registry key (its address) of the names every environment starts from. */
extern const char SANDBOX_TEMPLATE_KEY;

/* The sandbox of a state: its allocator's user data. */
static inline ks_sandbox *sandbox_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Lua switches hooks off while a hook runs and restores them at the next
 * pcall, so a coroutine that the count hook's limit error ended keeps them
 * off: Lua code must never run in it again, and the only way it could is a
 * __close handler run by closing it. raise_stop marks such coroutines in
 * their extra space; they are never closed. */
static inline void mark_hooks_off(lua_State *co) { *(unsigned char *)lua_getextraspace(co) = 1; }

static inline int hooks_off(lua_State *co)
{
    int status = lua_status(co);
    return *(unsigned char *)lua_getextraspace(co) && status != LUA_OK && status != LUA_YIELD;
}

/* Writes "memory limit exceeded (64 MiB)" for the sandbox's cap to buf. */
void sandbox_memory_text(const ks_sandbox *sb, char *buf, size_t cap);

/* Compiles text (never bytecode) as chunk "@chunkname" in a fresh
 * environment. Pushes the function and returns LUA_OK, or pushes a message
 * that starts with the chunk name and returns the status. */
int sandbox_load_chunk(lua_State *L, const char *chunkname, const char *text, size_t len);

/* Gives the main function of a chunk on top a fresh environment: run again,
 * it makes new upvalues and locals and sees new globals, as if its text were
 * compiled again (what it made on earlier runs keeps the old environment). */
void sandbox_renew(lua_State *L);

/* Makes every module run again on its next require (its code is kept):
 * module state never outlives the calls between two of these. */
void sandbox_forget_modules(lua_State *L);

/* load(text [, chunkname [, mode [, env]]]) as scripts get it: text only;
 * the environment defaults to the caller's (upvalue 1). */
int sandbox_load(lua_State *L);

/* Forgets the modules require marks as loading. None is when an outermost
 * call starts, but one that a limit ended leaves its marks: its coroutine's
 * to-be-closed variables, which clear them, are never closed. Allocates
 * nothing. */
void sandbox_forget_loading(lua_State *L);

/* Builds the template (the libraries scripts get, under SANDBOX_TEMPLATE_KEY),
 * makes strings index the edited string library, and creates require's
 * registry tables; run protected. */
void sandbox_open_libs(lua_State *L);

#endif
