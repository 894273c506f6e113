/* Internals of the web server shared by the files of engine/http: the server's state,
 * one request in flight, the route table (routes.c) and the helpers handlers
 * use to read a request and reply. Not a public header. */
#ifndef KAOSHI_HTTP_APP_H
#define KAOSHI_HTTP_APP_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>

#include "http/server.h"
#include "kaoshi/exam.h"

/* ---- worker contexts (pool.c) ------------------------------------------------
 * One per worker thread: a database connection, the lifecycle context and
 * the frozen certifications of the sittings it served, each at the version
 * it was loaded for (Lua states are not thread-safe, so a context is used by
 * one request at a time). */
typedef struct http_cert {
    int64_t sitting_id;
    int version;
    ks_fileset *fs;
    ks_cert *cert;
} http_cert;

typedef struct http_ctx {
    ks_store *store;
    ks_exam exam;
    char actor[96]; /* exam.actor for the request: "candidate:C001", "proctor:alice" */
    http_cert *certs;
    size_t ncerts;
    http_cert *stale; /* replaced by an amendment during the request: freed after it */
    size_t nstale;
    int busy;
} http_ctx;

typedef struct http_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    http_ctx *ctx;
    size_t n;
} http_pool;

ks_status http_pool_init(http_pool *p, size_t n, const http_config *cfg, ks_error *err);
void http_pool_free(http_pool *p);
http_ctx *http_pool_acquire(http_pool *p);
void http_pool_release(http_pool *p, http_ctx *c);
/* The frozen certification of an opened sitting at its version s->version,
 * loaded once per context and again after an amendment; what it returns
 * stays valid until the request ends. */
ks_status http_ctx_cert(http_ctx *c, const ks_sitting *s, ks_cert **cert, ks_error *err);

/* ---- group commit of answer saves and starts (writer.c) ------------------------
 * One writer thread with its own connection saves queued answers, and commits
 * queued starts (planned by the request's worker), in batches, one
 * transaction each, and resumes every suspended request of a batch once it
 * has committed. Between batches it finishes overdue attempts and drops
 * expired sessions. */
typedef struct http_writer http_writer;
typedef struct http_write_job {
    ks_exam_save save; /* a save: in: attempt, slot, base; out: status, seq, err */
    char *response, *key;
    ks_exam_start_job start; /* a start instead, when start.plan is set */
    char *sitting, *actor;   /* the start's sitting name and actor (start.sitting, .actor) */
    struct MHD_Connection *conn; /* resumed when the job's batch is done */
    struct http_write_job *next;
} http_write_job;

ks_status http_writer_start(const http_config *cfg, http_writer **out, ks_error *err);
/* Frees job and what it holds (NULL: nothing). */
void http_write_job_free(http_write_job *job);
/* Queues job; -1 when the writer is stopping (the caller answers 503). */
int http_writer_submit(http_writer *w, http_write_job *job);
/* Saves what is queued, resumes its requests and joins the thread; later
 * submits are refused. Idempotent. */
void http_writer_stop(http_writer *w);
void http_writer_free(http_writer *w);

/* ---- forms drawn ahead (preparer.c) ----------------------------------------------
 * One preparer thread with its own connection draws ahead, every few
 * seconds, the forms of candidates enrolled in an open sitting whose window
 * opens within cfg->prepare_ahead_ms (or is open) and who have none
 * (ks_exam_prepare). None is started when prepare_ahead_ms is 0. */
typedef struct http_preparer http_preparer;

/* *out is NULL (and KS_OK) when cfg->prepare_ahead_ms is 0. */
ks_status http_preparer_start(const http_config *cfg, http_preparer **out, ks_error *err);
/* Lets the preparation under way finish and joins the thread. Idempotent;
 * p may be NULL. */
void http_preparer_stop(http_preparer *p);
void http_preparer_free(http_preparer *p);

/* ---- long reads off the event loop (reader.c) -----------------------------------
 * A libmicrohttpd thread serves many connections in turn, so a handler that
 * reads for long (the analytics report of a big sitting: about a second)
 * would hold up every other request of that thread. Such a handler hands its
 * request to the reader thread instead, which has a worker context of its
 * own (its own database connection), runs the requests queued to it one at
 * a time and resumes each. */
typedef struct http_reader http_reader;
typedef struct http_req http_req;
typedef void (*http_read_fn)(http_req *r, http_ctx *c);

ks_status http_reader_start(const http_config *cfg, http_reader **out, ks_error *err);
/* Suspends r's connection and queues it: read(r, c) builds r's reply with
 * the reader's context c (never r->ctx, which belongs to the dispatching
 * thread), then the connection resumes. Once the reader is stopping, r is
 * answered 503 at once. */
void http_reader_submit(http_reader *rd, http_req *r, http_read_fn read);
/* Lets the request being read finish, answers those still queued 503 and
 * joins the thread; later submits are answered 503. Idempotent. */
void http_reader_stop(http_reader *rd);
void http_reader_free(http_reader *rd);

/* ---- pushed events: long polls on the audit log (events.c) -----------------------
 * A long poll waits, its connection suspended, for the audit entries of one
 * sitting after an id. One events thread with its own database connection
 * wakes every 250 ms (and when a poll arrives), reads the newest audit id
 * and, only when it has moved, the new entries, and answers each poll they
 * concern; a poll past its wait is answered with none. Reading the store
 * rather than listening in-process, it sees what other processes (the CLI)
 * do as well. */
typedef struct http_events http_events;
/* An audit entry as a poll's event, or NULL when that poll is not shown it;
 * attempt_id is the poll's (0 for a whole sitting). */
typedef json_t *(*http_event_fn)(const ks_audit_entry *e, int64_t attempt_id);
typedef enum http_wait {
    HTTP_WAITING,        /* r is suspended; done(r) completes its reply */
    HTTP_WAITERS_FULL,   /* as many polls as allowed are waiting: answer at once */
    HTTP_EVENTS_STOPPING /* the server is stopping: answer 503 */
} http_wait;

ks_status http_events_start(const http_config *cfg, http_events **out, ks_error *err);
/* Suspends r until there are entries of sitting_id (about attempt_id, when
 * not 0) with an id above `after` that event() shows, or the wait is over;
 * r's reply is then {"cursor", "events"}, the cursor being the newest audit
 * id they account for (or 503 when the server stops), and done(r) runs
 * before it is sent. */
http_wait http_events_wait(http_events *ev, http_req *r, int64_t sitting_id, int64_t attempt_id,
                           int64_t after, http_event_fn event, void (*done)(http_req *r));
/* Answers every waiting poll 503, joins the thread and waits (2 s at most)
 * until those replies are sent; later polls get HTTP_EVENTS_STOPPING.
 * Idempotent. */
void http_events_stop(http_events *ev);
/* A reply made by http_events_stop has been sent (server.c, as its request ends). */
void http_events_sent(http_events *ev);
void http_events_free(http_events *ev);

/* ---- rate limiting of logins and lookups (limiter.c) ------------------------------ */
typedef struct http_limiter http_limiter;
http_limiter *http_limiter_new(void);
void http_limiter_free(http_limiter *l);
/* Seconds until key may try again (0: now). */
int http_limiter_wait(http_limiter *l, const char *key, int64_t now);
/* Counts a failed login (or a certificate lookup) against key: after `limit`
 * within the window, key waits until the window ends. */
void http_limiter_fail(http_limiter *l, const char *key, int limit, int64_t now);
void http_limiter_clear(http_limiter *l, const char *key, int64_t now);

/* ---- when each attempt's page was last heard from (seen.c) -------------------- *
 * Keyed by attempt id; a candidate's last login is kept under
 * HTTP_SEEN_LOGIN(candidate id), which no attempt id is. */
#define HTTP_SEEN_LOGIN(candidate_id) (-(candidate_id))
typedef struct http_seen http_seen;
http_seen *http_seen_new(void);
void http_seen_free(http_seen *s);
void http_seen_mark(http_seen *s, int64_t attempt_id, int64_t at);
int64_t http_seen_get(http_seen *s, int64_t attempt_id); /* 0 when never */

/* ---- the server --------------------------------------------------------------- */
typedef struct http_app {
    const http_config *cfg;
    http_pool pool;
    http_writer *writer;
    http_reader *reader;
    http_limiter *limiter;
    http_seen *seen;
    http_events *events;
    http_preparer *preparer;
} http_app;

typedef enum http_auth {
    HTTP_PUBLIC,    /* anyone */
    HTTP_SESSION,   /* any logged-in user */
    HTTP_CANDIDATE, /* a candidate's session */
    HTTP_PROCTOR,   /* a proctor's session */
    HTTP_PROCTOR_PAGE /* a proctor's session, for a page: without one the browser is
                         sent to the console's login (303 to /proctor) */
} http_auth;

typedef struct http_route {
    const char *method;
    const char *pattern; /* "/api/attempts/{}/answers/{}": each {} is one path segment */
    http_auth auth;
    int csrf; /* state-changing: the session's CSRF token must be sent */
    void (*handler)(http_req *r);
} http_route;

/* The routes, ended by a zeroed entry (routes.c); documented in docs/api.md. */
extern const http_route http_routes[];

#define HTTP_MAX_PARAMS 2
#define HTTP_MAX_BODY (128 * 1024)

struct http_req {
    http_app *app;
    struct MHD_Connection *conn;
    const char *method;
    char *path;
    char *body;
    size_t body_len;
    int body_too_large;
    int replied;                    /* a reply was queued before the body ended */
    json_t *json;                   /* the body, when it is a JSON object */
    char *params[HTTP_MAX_PARAMS];  /* the segments matched by {} */
    const http_route *route;
    http_ctx *ctx;                  /* held while the handler runs */
    ks_session session;
    int has_session;
    int not_alive;                  /* the reply is built later (a long poll's end):
                                       it says nothing of the page being there */
    char client[64];                /* the client's address */
    /* the response */
    unsigned status;
    json_t *out;
    const char *data, *content_type; /* an embedded page or a file instead of JSON */
    size_t data_len;
    char *owned;                    /* data when it is malloc'd: freed with the request */
    char filename[128];             /* a download's name (Content-Disposition), or "" */
    char cookie[256];               /* Set-Cookie value, or "" */
    const char *location;           /* a redirect's target (Location), or NULL */
    int retry_after;                /* seconds, for a Retry-After header; 0 for none */
    /* an answer save suspended until its group commit */
    http_write_job *job;
    /* set while the connection is suspended: builds the reply once it resumes */
    void (*resumed)(http_req *r);
    /* a long read queued to the reader thread (reader.c) */
    http_read_fn read;
    http_req *next_read;
    /* a long poll answered 503 by the stopping events hub, which waits until
     * the reply is sent (events.c) */
    int stop_reply;
};

/* Replies with JSON (takes body's reference). */
void http_reply(http_req *r, unsigned status, json_t *body);
/* Replies with the JSON object body (takes its reference) and one more
 * member, key, whose value is the JSON text raw, sent as it is (a view kept
 * as text, never parsed again). */
void http_reply_with(http_req *r, unsigned status, json_t *body, const char *key,
                     const char *raw);
/* Replies {"error": code, "message": message}. */
void http_fail(http_req *r, unsigned status, const char *code, const char *message);
/* Replies to a lifecycle error: input 400, state 409, not found 404, I/O 503,
 * others 500, with e's message. */
void http_fail_error(http_req *r, const ks_error *e);
/* text as a number from 0 to max, or -1: digits only, with no sign and no
 * leading zero, so each number has one spelling. */
int64_t http_number(const char *text, int64_t max);
/* params[i] as a positive id, or 0 after replying 404. Path numbers are
 * http_numbers. */
int64_t http_param_id(http_req *r, int i);
/* params[i] as a question slot (0 to HTTP_MAX_SLOT), or -1 after replying 404. */
#define HTTP_MAX_SLOT 100000
int http_param_slot(http_req *r, int i);
/* A string field of the JSON body, or NULL. */
const char *http_body_string(http_req *r, const char *field);

/* ---- sessions and CSRF (session.c) -------------------------------------------- */
/* Loads the session the request's cookie names, if it is valid. */
void http_session_load(http_req *r);
/* Starts a new session (rotating: the request's old session is deleted) and
 * sets its cookie; r->session is the new one. */
ks_status http_session_start(http_req *r, const char *kind, int64_t subject_id,
                             const char *subject, int64_t sitting_id, ks_error *err);
/* Deletes the request's session and clears its cookie. */
void http_session_end(http_req *r);
/* True when the request carries the session's CSRF token. */
int http_csrf_ok(http_req *r);

/* ---- handlers ------------------------------------------------------------------ */
/* api_auth.c */
void http_login_candidate(http_req *r);
void http_login_proctor(http_req *r);
void http_logout(http_req *r);
void http_session_info(http_req *r);
/* api_candidate.c */
void http_me(http_req *r);
void http_start(http_req *r);
void http_attempt(http_req *r);
void http_status(http_req *r);
void http_save(http_req *r);
/* Loads attempt params[0] and its sitting when they are the session's
 * candidate's, the page seen alive now (unless r->not_alive); replies 404
 * (and returns 0) otherwise. */
int http_own_attempt(http_req *r, ks_attempt *a, ks_sitting *s);
void http_flag(http_req *r);
void http_submit(http_req *r);
void http_result(http_req *r);
void http_certificate_pdf(http_req *r);
/* api_aids.c: the "aids" of the sitting's certification, {calculator (null
 * for none), notes}, or null while the sitting is a draft; and the audit
 * of a candidate's use of one */
json_t *http_aids_json(http_ctx *c, const ks_sitting *s);
void http_aid_used(http_req *r);
/* api_events.c: the long polls of pushed events */
void http_attempt_events(http_req *r);
void http_sitting_events(http_req *r);
/* api_verify.c */
void http_verify(http_req *r);
/* api_proctor.c */
void http_sittings(http_req *r);
void http_live(http_req *r);
void http_sitting_open(http_req *r);
void http_sitting_close(http_req *r);
void http_sitting_grade(http_req *r);
void http_sitting_publish(http_req *r);
void http_extend(http_req *r);
void http_pause(http_req *r);
void http_resume(http_req *r);
void http_force_submit(http_req *r);
void http_note(http_req *r);
void http_marking(http_req *r);
void http_mark(http_req *r);
void http_mark_clear(http_req *r);
void http_results(http_req *r);
void http_amendments(http_req *r);
/* api_report.c: the analytics report, each made on the reader thread */
void http_report(http_req *r);
void http_report_csv(http_req *r);
void http_report_page(http_req *r);
void http_report_css(http_req *r);
/* assets.c: the pages and their scripts and styles, compiled in */
void http_page(http_req *r);
void http_static(http_req *r);

/* ---- JSON shared by the handlers (json.c) ---------------------------------------- */
/* "draft", "open" or "closed" with the window, the zone and the certification. */
json_t *http_sitting_json(http_ctx *c, const ks_sitting *s);
/* An attempt's state ("running", "paused" or "finished") and clock: the
 * server's now, the deadline and the time left. */
json_t *http_attempt_json(http_ctx *c, const ks_attempt *a);

#endif
