/* Sessions and CSRF: a session is a random token in an HttpOnly,
 * SameSite=Strict cookie; the database keeps only the token's BLAKE2b hash
 * (so a copy of the database opens no session), who it is and a CSRF token
 * that state-changing requests must echo in X-CSRF-Token. Sessions survive a
 * restart of the server; a login always starts a new one. See
 * engine/http/app.h. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http/app.h"

#define COOKIE "ks_session"
#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* base64url without padding */
#define SESSION_MS (12LL * 3600 * 1000)

static void random_token(char out[TOKEN_CHARS + 1])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The hex hash stored for a token; 0 when text is not a token's shape. */
static int token_hash(const char *text, char out[65])
{
    if (!text || strlen(text) != TOKEN_CHARS ||
        strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            TOKEN_CHARS)
        return 0;
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)text, TOKEN_CHARS, NULL, 0);
    sodium_bin2hex(out, 65, digest, sizeof digest);
    return 1;
}

static const char *cookie_token(http_req *r)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
}

void http_session_load(http_req *r)
{
    char hash[65];
    ks_error err;
    if (!token_hash(cookie_token(r), hash) ||
        ks_store_session_get(r->ctx->store, hash, &r->session, &err) != KS_OK)
        return;
    if (r->session.expires_at <= ks_clock_now(r->app->cfg->clock)) {
        ks_session_free(&r->session);
        return;
    }
    r->has_session = 1;
}

static void set_cookie(http_req *r, const char *token, long max_age)
{
    snprintf(r->cookie, sizeof r->cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%ld%s", token, max_age, r->app->cfg->secure_cookies ? "; Secure" : "");
}

/* Deletes the session the request's cookie names, valid or not. */
static void delete_cookie_session(http_req *r)
{
    char hash[65];
    ks_error err;
    if (token_hash(cookie_token(r), hash))
        ks_store_session_delete(r->ctx->store, hash, &err);
    ks_session_free(&r->session);
    r->has_session = 0;
}

ks_status http_session_start(http_req *r, const char *kind, int64_t subject_id,
                             const char *subject, int64_t sitting_id, ks_error *err)
{
    delete_cookie_session(r);
    char token[TOKEN_CHARS + 1], csrf[TOKEN_CHARS + 1], hash[65];
    random_token(token);
    random_token(csrf);
    token_hash(token, hash);
    int64_t now = ks_clock_now(r->app->cfg->clock);
    ks_session s = {.token_hash = hash, .kind = (char *)kind, .subject_id = subject_id,
                    .subject = (char *)subject, .sitting_id = sitting_id, .csrf = csrf,
                    .created_at = now, .expires_at = now + SESSION_MS};
    ks_status rc = ks_store_session_put(r->ctx->store, &s, err);
    if (rc)
        return rc;
    if ((rc = ks_store_session_get(r->ctx->store, hash, &r->session, err)))
        return rc;
    r->has_session = 1;
    set_cookie(r, token, (long)(SESSION_MS / 1000));
    return KS_OK;
}

void http_session_end(http_req *r)
{
    delete_cookie_session(r);
    set_cookie(r, "", 0);
}

int http_csrf_ok(http_req *r)
{
    const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    size_t n = r->has_session ? strlen(r->session.csrf) : 0;
    return sent && n && strlen(sent) == n && sodium_memcmp(sent, r->session.csrf, n) == 0;
}
