/* Lua 5.4 patterns (reference manual §6.4.1) for the sandbox's string.find,
 * match, gmatch and gsub: see engine/lua/pattern.h. A backtracking matcher
 * like the stock one, except that it counts its steps and charges them to the
 * instruction budget (ks_sandbox_charge), so a pathological pattern ends with
 * the instruction limit instead of hanging inside one C call. Recursion is
 * bounded (MAX_DEPTH) to protect the C stack. Binding layer: lua.h, lauxlib.h,
 * lua/sandbox.h. */
#include "lua/pattern.h"

#include <ctype.h>
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#include "lua/sandbox.h"

#define MAX_CAPTURES 32   /* LUA_MAXCAPTURES of the stock library */
#define MAX_DEPTH 200     /* nested match() calls: "pattern too complex" */
#define CHARGE_EVERY 1024 /* steps counted before they are charged */
#define STEP_COST 2       /* budget per step: a step takes about two VM instructions */
#define SCAN_COST 16      /* bytes scanned by memcmp, memmem or a set per step */
#define CAP_OPEN (-1)     /* capture length while its ')' is not reached */
#define CAP_POSITION (-2) /* capture length of a position capture "()" */
#define SPECIALS "^$*+?.([%-"

typedef struct capture {
    const char *init;
    ptrdiff_t len; /* or CAP_OPEN, CAP_POSITION */
} capture;

typedef struct matcher {
    lua_State *L;
    const char *src, *src_end; /* the subject */
    const char *pat_end;
    int depth_left;
    int ncap;
    unsigned long steps; /* counted, not yet charged */
    capture cap[MAX_CAPTURES];
} matcher;

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls, const char *p,
                         size_t lp)
{
    m->L = L;
    m->src = s;
    m->src_end = s + ls;
    m->pat_end = p + lp;
    m->steps = 0;
}

/* Resets the per-attempt state before matching at a new subject position. */
static void matcher_restart(matcher *m)
{
    m->ncap = 0;
    m->depth_left = MAX_DEPTH;
}

/* Counts n steps; charges them in batches (may raise the limit error). */
static void step(matcher *m, unsigned long n)
{
    m->steps += n;
    if (m->steps >= CHARGE_EVERY) {
        unsigned long due = m->steps;
        m->steps = 0;
        ks_sandbox_charge(m->L, due * STEP_COST);
    }
}

/* Charges the steps of the last, unfinished batch. */
static void settle(matcher *m)
{
    unsigned long due = m->steps;
    m->steps = 0;
    if (due)
        ks_sandbox_charge(m->L, due * STEP_COST);
}

/* ---- single-character classes --------------------------------------------- */

/* Does byte c belong to %cl? An upper-case class letter is the complement;
 * any other character stands for itself. */
static int in_class(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    case 'z': r = c == 0; break; /* deprecated, still in the stock library */
    default: return cl == c;
    }
    return isupper(cl) ? !r : r != 0;
}

/* Does byte c belong to the set whose body runs from p (just after '[') to
 * close (its ']')? The body was checked by class_end. */
static int in_set(int c, const char *p, const char *close)
{
    int member = 1;
    if (*p == '^') {
        member = 0;
        p++;
    }
    for (; p < close; p++) {
        if (*p == '%') {
            /* escapes the next byte, even the set's closing ']' when a range
             * took the '%' that class_end saw escape it: "[!-%%]" holds ']',
             * as in the stock library */
            p++;
            if (in_class(c, (unsigned char)*p))
                return member;
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return member;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return member;
        }
    }
    return !member;
}

/* The end of the single-character class starting at p: ".", "x", "%x" or a
 * set "[...]" (whose first ']' after "[" or "[^" is an ordinary character). */
static const char *class_end(matcher *m, const char *p)
{
    const char *end = m->pat_end;
    char c = *p++;
    if (c == '%') {
        if (p == end)
            luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < end && *p == '^')
            p++;
        const char *first = p;
        for (;;) {
            if (p == end)
                luaL_error(m->L, "malformed pattern (missing ']')");
            if (*p == ']' && p != first)
                return p + 1;
            if (*p == '%' && ++p == end)
                luaL_error(m->L, "malformed pattern (missing ']')");
            p++;
        }
    }
    return p;
}

/* Does the subject byte at s match the class p..ep? */
static int single_match(matcher *m, const char *s, const char *p, const char *ep)
{
    if (s >= m->src_end)
        return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return in_class(c, (unsigned char)p[1]);
    case '[':
        step(m, (unsigned long)(ep - p) / SCAN_COST);
        return in_set(c, p + 1, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* ---- the matcher ------------------------------------------------------------ */

static const char *match(matcher *m, const char *s, const char *p);

/* Longest run of the class first, then shorter ones. */
static const char *max_expand(matcher *m, const char *s, const char *p, const char *ep)
{
    ptrdiff_t n = 0;
    while (single_match(m, s + n, p, ep)) {
        step(m, 1);
        n++;
    }
    for (; n >= 0; n--) {
        const char *r = match(m, s + n, ep + 1);
        if (r)
            return r;
    }
    return NULL;
}

/* Shortest run of the class first, then longer ones. */
static const char *min_expand(matcher *m, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *r = match(m, s, ep + 1);
        if (r)
            return r;
        if (!single_match(m, s, p, ep))
            return NULL;
        s++;
    }
}

static const char *open_capture(matcher *m, const char *s, const char *p, ptrdiff_t kind)
{
    if (m->ncap >= MAX_CAPTURES)
        luaL_error(m->L, "too many captures");
    m->cap[m->ncap].init = s;
    m->cap[m->ncap].len = kind;
    m->ncap++;
    const char *r = match(m, s, p);
    if (!r)
        m->ncap--;
    return r;
}

static const char *close_capture(matcher *m, const char *s, const char *p)
{
    int i = m->ncap - 1;
    while (i >= 0 && m->cap[i].len != CAP_OPEN)
        i--;
    if (i < 0)
        luaL_error(m->L, "invalid pattern capture");
    m->cap[i].len = s - m->cap[i].init;
    const char *r = match(m, s, p);
    if (!r)
        m->cap[i].len = CAP_OPEN;
    return r;
}

/* %bxy at p (pointing at x): a balanced run from x to the matching y. */
static const char *match_balance(matcher *m, const char *s, const char *p)
{
    if (p + 1 >= m->pat_end)
        luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->src_end || *s != p[0])
        return NULL;
    int depth = 1;
    for (const char *t = s + 1; t < m->src_end; t++) {
        step(m, 1);
        if (*t == p[1]) {
            if (--depth == 0)
                return t + 1;
        } else if (*t == p[0]) {
            depth++;
        }
    }
    return NULL;
}

/* %1-%9: the text of an earlier, closed capture. */
static const char *match_backref(matcher *m, const char *s, int digit)
{
    int i = digit - '1';
    if (i < 0 || i >= m->ncap || m->cap[i].len == CAP_OPEN)
        luaL_error(m->L, "invalid capture index %%%d", i + 1);
    ptrdiff_t len = m->cap[i].len;
    if (len == CAP_POSITION || m->src_end - s < len)
        return NULL;
    step(m, (unsigned long)len / SCAN_COST);
    return memcmp(m->cap[i].init, s, (size_t)len) == 0 ? s + len : NULL;
}

/* Matches pattern p (to pat_end) at subject position s; returns the end of
 * the match or NULL. */
static const char *match(matcher *m, const char *s, const char *p)
{
    if (m->depth_left-- == 0)
        luaL_error(m->L, "pattern too complex");
    const char *end = m->pat_end;
    for (;;) {
        step(m, 1);
        if (p == end)
            break;
        if (*p == '(') {
            if (p + 1 < end && p[1] == ')')
                s = open_capture(m, s, p + 2, CAP_POSITION);
            else
                s = open_capture(m, s, p + 1, CAP_OPEN);
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == end) {
            if (s != m->src_end)
                s = NULL;
            break;
        }
        if (*p == '%' && p + 1 < end) {
            int k = (unsigned char)p[1];
            if (k == 'b') {
                if (!(s = match_balance(m, s, p + 2)))
                    break;
                p += 4;
                continue;
            }
            if (k == 'f') {
                p += 2;
                if (p == end || *p != '[')
                    luaL_error(m->L, "missing '[' after '%%f' in pattern");
                const char *ep = class_end(m, p);
                int prev = s == m->src ? 0 : (unsigned char)s[-1];
                int cur = s < m->src_end ? (unsigned char)*s : 0;
                if (in_set(prev, p + 1, ep - 1) || !in_set(cur, p + 1, ep - 1)) {
                    s = NULL;
                    break;
                }
                p = ep;
                continue;
            }
            if (isdigit(k)) {
                if (!(s = match_backref(m, s, k)))
                    break;
                p += 2;
                continue;
            }
        }
        /* a single-character class, maybe followed by a quantifier */
        const char *ep = class_end(m, p);
        step(m, (unsigned long)(ep - p) / SCAN_COST);
        int ok = single_match(m, s, p, ep);
        char q = ep < end ? *ep : '\0';
        if (q == '?') {
            const char *r;
            if (ok && (r = match(m, s + 1, ep + 1)) != NULL) {
                s = r;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (q == '+') {
            s = ok ? max_expand(m, s + 1, p, ep) : NULL;
            break;
        }
        if (q == '*') {
            s = max_expand(m, s, p, ep);
            break;
        }
        if (q == '-') {
            s = min_expand(m, s, p, ep);
            break;
        }
        if (!ok) {
            s = NULL;
            break;
        }
        s++;
        p = ep;
    }
    m->depth_left++;
    return s;
}

/* ---- results ------------------------------------------------------------------ */

/* Pushes capture i of the match s..e; capture 0 of a pattern without
 * captures is the whole match. */
static void push_capture(matcher *m, int i, const char *s, const char *e)
{
    if (i >= m->ncap) {
        if (i != 0)
            luaL_error(m->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t len = m->cap[i].len;
    if (len == CAP_OPEN)
        luaL_error(m->L, "unfinished capture");
    if (len == CAP_POSITION)
        lua_pushinteger(m->L, m->cap[i].init - m->src + 1);
    else
        lua_pushlstring(m->L, m->cap[i].init, (size_t)len);
}

/* Pushes every capture (the whole match if there are none and s is not
 * NULL); returns how many. */
static int push_captures(matcher *m, const char *s, const char *e)
{
    int n = m->ncap == 0 && s ? 1 : m->ncap;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(m, i, s, e);
    return n;
}

/* A 1-based, possibly negative string position as a 0-based offset (which
 * may lie past the end). */
static size_t start_offset(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return (size_t)((lua_Integer)len + pos);
}

static int is_plain(const char *p, size_t lp)
{
    for (size_t i = 0; i < lp; i++)
        if (p[i] && strchr(SPECIALS, p[i]))
            return 0;
    return 1;
}

static int find_or_match(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || is_plain(p, lp))) {
        ks_sandbox_charge(L, (unsigned long)(ls - init + lp) / SCAN_COST * STEP_COST);
        const char *r = memmem(s + init, ls - init, p, lp);
        if (!r) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, r - s + 1);
        lua_pushinteger(L, (lua_Integer)(r - s + lp));
        return 2;
    }
    int anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    const char *at = s + init;
    do {
        matcher_restart(&m);
        const char *e = match(&m, at, p);
        if (e) {
            settle(&m);
            if (!find)
                return push_captures(&m, at, e);
            lua_pushinteger(L, at - s + 1);
            lua_pushinteger(L, e - s);
            return 2 + push_captures(&m, NULL, NULL);
        }
    } while (at++ < m.src_end && !anchor);
    settle(&m);
    luaL_pushfail(L);
    return 1;
}

int ks_pattern_find(lua_State *L) { return find_or_match(L, 1); }

int ks_pattern_match(lua_State *L) { return find_or_match(L, 0); }

/* Where a gmatch iterator resumes; offsets into its subject. */
typedef struct gmatch_state {
    size_t pos;
    size_t last_end; /* end of the last match, SIZE_MAX before the first */
} gmatch_state;

/* The iterator: upvalues subject, pattern, gmatch_state. */
static int gmatch_next(lua_State *L)
{
    size_t ls, lp;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    if (g->pos > ls)
        return 0;
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    for (const char *at = s + g->pos; at <= m.src_end; at++) {
        matcher_restart(&m);
        const char *e = match(&m, at, p);
        if (e && (size_t)(e - s) != g->last_end) {
            g->pos = g->last_end = (size_t)(e - s);
            settle(&m);
            return push_captures(&m, at, e);
        }
    }
    g->pos = ls + 1;
    settle(&m);
    return 0;
}

/* As in the stock library, '^' does not anchor a gmatch pattern. */
int ks_pattern_gmatch(lua_State *L)
{
    size_t ls;
    luaL_checklstring(L, 1, &ls);
    luaL_checkstring(L, 2);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    lua_settop(L, 2);
    gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->pos = init > ls ? ls + 1 : init;
    g->last_end = SIZE_MAX;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* Appends replacement string (argument 3) for the match s..e: "%0" is the
 * whole match, "%1".."%9" captures, "%%" a percent sign. */
static void add_template(matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
    lua_State *L = m->L;
    size_t l;
    const char *r = lua_tolstring(L, 3, &l), *rend = r + l;
    step(m, (unsigned long)l / SCAN_COST);
    for (; r < rend; r++) {
        if (*r != '%') {
            luaL_addchar(b, *r);
            continue;
        }
        r++;
        if (r < rend && *r == '%') {
            luaL_addchar(b, '%');
        } else if (r < rend && *r == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (r < rend && isdigit((unsigned char)*r)) {
            push_capture(m, *r - '1', s, e);
            luaL_tolstring(L, -1, NULL);
            lua_remove(L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%%' in replacement string");
        }
    }
}

/* Appends the replacement for the match s..e given by argument 3 (of type
 * kind); returns 0 when the match is kept as it is (false or nil from a
 * function or table). */
static int add_replacement(matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind)
{
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_template(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

int ks_pattern_gsub(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION ||
                            kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    const char *at = s, *last_end = NULL;
    lua_Integer n = 0;
    int changed = 0;
    while (n < max_n) {
        matcher_restart(&m);
        const char *e = match(&m, at, p);
        if (e && e != last_end) {
            n++;
            changed |= add_replacement(&m, &b, at, e, kind);
            at = last_end = e;
        } else if (at < m.src_end) {
            luaL_addchar(&b, *at++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    settle(&m);
    if (changed) {
        luaL_addlstring(&b, at, (size_t)(m.src_end - at));
        luaL_pushresult(&b);
    } else {
        lua_pushvalue(L, 1);
    }
    lua_pushinteger(L, n);
    return 2;
}
