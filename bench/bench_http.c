/* The load generator's connections and event loop. See bench/bench_http.h. */
#include "bench_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kaoshi/clock.h"

#define REQ_CAP 2048
#define CONNECTS_AT_ONCE 512
#define EVENTS 4096
/* A run gives up on requests that see no progress at all for this long. */
#define STALL_NS (60LL * 1000 * 1000 * 1000)

typedef enum conn_state { C_CLOSED, C_CONNECTING, C_IDLE, C_WRITING, C_READING } conn_state;

typedef struct conn {
    int fd;
    conn_state state;
    char req[REQ_CAP];
    size_t req_len, req_off;
    char *resp;
    size_t resp_len, resp_cap;
    size_t head_len;     /* 0 until the header's end was seen */
    size_t content_len;
    int status;
    int64_t sent_ns;
    int64_t due_ns;      /* open loop: the intended time of its next or current request */
} conn;

struct bench_http {
    int ep;
    struct sockaddr_in addr;
    conn *c;
    size_t n;
};

size_t bench_http_count(const bench_http *h)
{
    return h->n;
}

static void drop(bench_http *h, conn *c)
{
    if (c->fd >= 0) {
        epoll_ctl(h->ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    c->fd = -1;
    c->state = C_CLOSED;
}

static int watch(bench_http *h, conn *c, int op, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    return epoll_ctl(h->ep, op, c->fd, &ev);
}

/* Starts a non-blocking connect; 0 or -1. */
static int start_connect(bench_http *h, conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&h->addr, sizeof h->addr) != 0 &&
        errno != EINPROGRESS) {
        drop(h, c);
        return -1;
    }
    c->state = C_CONNECTING;
    return watch(h, c, EPOLL_CTL_ADD, EPOLLOUT);
}

/* (Re)connects every closed connection, a batch at a time; 0 or -1. */
static int connect_all(bench_http *h)
{
    size_t next = 0, pending = 0;
    struct epoll_event ev[EVENTS];
    int64_t started = ks_clock_mono_ns();
    for (;;) {
        while (pending < CONNECTS_AT_ONCE && next < h->n) {
            conn *c = &h->c[next++];
            if (c->state != C_CLOSED)
                continue;
            if (start_connect(h, c) != 0) {
                fprintf(stderr, "bench: connect: %s\n", strerror(errno));
                return -1;
            }
            pending++;
        }
        if (!pending)
            return 0;
        if (ks_clock_mono_ns() - started > STALL_NS) {
            fprintf(stderr, "bench: connections not established after 60 s\n");
            return -1;
        }
        int k = epoll_wait(h->ep, ev, EVENTS, 1000);
        for (int i = 0; i < k; i++) {
            conn *c = ev[i].data.ptr;
            if (c->state != C_CONNECTING)
                continue;
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                fprintf(stderr, "bench: connect: %s\n", strerror(err));
                return -1;
            }
            c->state = C_IDLE;
            watch(h, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
            pending--;
        }
    }
}

bench_http *bench_http_open(uint16_t port, size_t n)
{
    bench_http *h = calloc(1, sizeof *h);
    if (!h || !(h->c = calloc(n ? n : 1, sizeof *h->c))) {
        free(h);
        return NULL;
    }
    h->n = n;
    for (size_t i = 0; i < n; i++)
        h->c[i].fd = -1;
    h->addr.sin_family = AF_INET;
    h->addr.sin_port = htons(port);
    h->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    h->ep = epoll_create1(EPOLL_CLOEXEC);
    if (h->ep < 0 || connect_all(h) != 0) {
        bench_http_close(h);
        return NULL;
    }
    return h;
}

void bench_http_close(bench_http *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        drop(h, &h->c[i]);
        free(h->c[i].resp);
    }
    if (h->ep >= 0)
        close(h->ep);
    free(h->c);
    free(h);
}

/* Writes what is left of the request; -1 when the connection failed. */
static int push(bench_http *h, conn *c)
{
    while (c->req_off < c->req_len) {
        ssize_t k = send(c->fd, c->req + c->req_off, c->req_len - c->req_off, MSG_NOSIGNAL);
        if (k < 0 && errno == EAGAIN) {
            if (c->state != C_WRITING)
                watch(h, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
            c->state = C_WRITING;
            return 0;
        }
        if (k <= 0)
            return -1;
        c->req_off += (size_t)k;
    }
    if (c->state == C_WRITING)
        watch(h, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP);
    c->state = C_READING;
    return 0;
}

static int send_request(bench_http *h, conn *c)
{
    c->req_off = 0;
    c->resp_len = c->head_len = c->content_len = 0;
    c->status = 0;
    c->sent_ns = ks_clock_mono_ns();
    c->state = C_READING; /* push() switches to C_WRITING if it must wait */
    return push(h, c);
}

/* Parses the status line and Content-Length once the header is in; -1 for
 * a reply this client cannot frame. */
static int parse_head(conn *c)
{
    char *end = memmem(c->resp, c->resp_len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    c->head_len = (size_t)(end - c->resp) + 4;
    if (sscanf(c->resp, "HTTP/1.%*d %d", &c->status) != 1)
        return -1;
    for (char *line = strstr(c->resp, "\r\n"); line && line < end;
         line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Content-Length:", 15) == 0) {
            c->content_len = strtoull(line + 17, NULL, 10);
            return 0;
        }
    }
    return -1;
}

/* Reads what has arrived; 1 when the reply is complete, 0 when more is
 * needed, -1 when the connection failed. */
static int pull(conn *c)
{
    for (;;) {
        if (c->resp_cap - c->resp_len < 4096) {
            size_t cap = c->resp_cap ? c->resp_cap * 2 : 8192;
            char *grown = realloc(c->resp, cap + 1);
            if (!grown)
                return -1;
            c->resp = grown;
            c->resp_cap = cap;
        }
        ssize_t k = recv(c->fd, c->resp + c->resp_len, c->resp_cap - c->resp_len, 0);
        if (k < 0 && errno == EAGAIN)
            return 0;
        if (k <= 0)
            return -1;
        c->resp_len += (size_t)k;
        c->resp[c->resp_len] = '\0';
        if (!c->head_len && parse_head(c) != 0)
            return -1;
        if (c->head_len && c->resp_len >= c->head_len + c->content_len)
            return 1;
    }
}

/* Open loop: the connections waiting for their next request's time, a
 * binary min-heap on due_ns. */
typedef struct schedule {
    conn **at;
    size_t n;
} schedule;

static void schedule_push(schedule *q, conn *c)
{
    size_t i = q->n++;
    while (i && q->at[(i - 1) / 2]->due_ns > c->due_ns) {
        q->at[i] = q->at[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->at[i] = c;
}

static conn *schedule_pop(schedule *q)
{
    conn *top = q->at[0], *last = q->at[--q->n];
    size_t i = 0;
    for (;;) {
        size_t kid = 2 * i + 1;
        if (kid >= q->n)
            break;
        if (kid + 1 < q->n && q->at[kid + 1]->due_ns < q->at[kid]->due_ns)
            kid++;
        if (q->at[kid]->due_ns >= last->due_ns)
            break;
        q->at[i] = q->at[kid];
        i = kid;
    }
    if (q->n)
        q->at[i] = last;
    return top;
}

typedef struct run_ctx {
    bench_http *h;
    bench_http_next next;
    bench_http_done done;
    void *ud;
    int64_t stop_ns;
    size_t inflight, failed;
    bench_http_when when; /* open loop only */
    schedule waiting;
} run_ctx;

/* The time a reply's latency counts from: the intended one in open loop. */
static int64_t counted_from(const run_ctx *r, const conn *c)
{
    return r->when ? c->due_ns : c->sent_ns;
}

static void fail(run_ctx *r, conn *c)
{
    bench_reply rep = {.sent_ns = counted_from(r, c), .done_ns = ks_clock_mono_ns()};
    drop(r->h, c);
    r->inflight--;
    r->failed++;
    r->done(r->ud, (size_t)(c - r->h->c), &rep);
}

/* Asks connection c for its next request and sends it. */
static void send_next(run_ctx *r, conn *c)
{
    c->req_len = r->next(r->ud, (size_t)(c - r->h->c), c->req, REQ_CAP);
    if (!c->req_len)
        return;
    r->inflight++;
    if (send_request(r->h, c) != 0)
        fail(r, c);
}

/* After a reply: the next request now (closed loop) or at its time. */
static void feed(run_ctx *r, conn *c)
{
    if (r->when) {
        int64_t due = r->when(r->ud, (size_t)(c - r->h->c), c->due_ns);
        if (due && (!r->stop_ns || due < r->stop_ns)) {
            c->due_ns = due;
            schedule_push(&r->waiting, c);
        }
    } else if (!r->stop_ns || ks_clock_mono_ns() < r->stop_ns) {
        send_next(r, c);
    }
}

static void on_event(run_ctx *r, conn *c, uint32_t events)
{
    if (c->state == C_IDLE) { /* the server closed an idle connection */
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            drop(r->h, c);
        return;
    }
    if (c->state == C_WRITING && (events & EPOLLOUT) && push(r->h, c) != 0) {
        fail(r, c);
        return;
    }
    if (c->state != C_READING || !(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        return;
    int got = pull(c);
    if (got < 0) {
        fail(r, c);
        return;
    }
    if (!got)
        return;
    bench_reply rep = {.status = c->status, .head = c->resp, .head_len = c->head_len,
                       .body = c->resp + c->head_len,
                       .body_len = c->content_len, .sent_ns = counted_from(r, c),
                       .done_ns = ks_clock_mono_ns()};
    c->state = C_IDLE;
    r->inflight--;
    r->done(r->ud, (size_t)(c - r->h->c), &rep);
    feed(r, c);
}

/* Sends the scheduled requests whose time has come; returns the
 * milliseconds until the next one's (1000 when none is waiting). */
static int send_due(run_ctx *r)
{
    int64_t now = ks_clock_mono_ns();
    while (r->waiting.n && r->waiting.at[0]->due_ns <= now) {
        conn *c = schedule_pop(&r->waiting);
        if (c->state == C_CLOSED && connect_all(r->h) != 0) /* the server closed it */
            r->failed++;
        if (c->state == C_IDLE)
            send_next(r, c);
    }
    if (!r->waiting.n)
        return 1000;
    int64_t ms = (r->waiting.at[0]->due_ns - now) / 1000000;
    return ms > 1000 ? 1000 : (int)ms;
}

/* Serves the connections' events until nothing is in flight or waiting. */
static void serve_events(run_ctx *r)
{
    bench_http *h = r->h;
    struct epoll_event *ev = malloc(EVENTS * sizeof *ev);
    int64_t progress = ks_clock_mono_ns();
    while (ev && (r->inflight || r->waiting.n)) {
        int wait_ms = r->when ? send_due(r) : 1000;
        int k = epoll_wait(h->ep, ev, EVENTS, wait_ms);
        if (k > 0 || !r->inflight)
            progress = ks_clock_mono_ns();
        for (int i = 0; i < k; i++)
            on_event(r, ev[i].data.ptr, ev[i].events);
        if (ks_clock_mono_ns() - progress > STALL_NS) {
            fprintf(stderr, "bench: no reply for 60 s; giving up on %zu requests\n",
                    r->inflight);
            for (size_t i = 0; i < h->n; i++)
                if (h->c[i].state == C_READING || h->c[i].state == C_WRITING)
                    fail(r, &h->c[i]);
        }
    }
    free(ev);
}

size_t bench_http_run(bench_http *h, bench_http_next next, bench_http_done done, void *ud,
                      int64_t stop_ns)
{
    run_ctx r = {h, next, done, ud, stop_ns, 0, 0, NULL, {NULL, 0}};
    if (connect_all(h) != 0)
        return h->n;
    /* every request is built before the first is written, so they leave together */
    for (size_t i = 0; i < h->n; i++)
        h->c[i].req_len = next(ud, i, h->c[i].req, REQ_CAP);
    for (size_t i = 0; i < h->n; i++) {
        conn *c = &h->c[i];
        if (!c->req_len)
            continue;
        r.inflight++;
        if (send_request(h, c) != 0)
            fail(&r, c);
    }
    serve_events(&r);
    return r.failed;
}

size_t bench_http_run_open(bench_http *h, bench_http_when when, bench_http_next next,
                           bench_http_done done, void *ud, int64_t stop_ns)
{
    run_ctx r = {h, next, done, ud, stop_ns, 0, 0, when, {calloc(h->n + 1, sizeof(conn *)), 0}};
    if (!r.waiting.at || connect_all(h) != 0) {
        free(r.waiting.at);
        return h->n;
    }
    for (size_t i = 0; i < h->n; i++) {
        h->c[i].due_ns = 0;
        feed(&r, &h->c[i]);
    }
    serve_events(&r);
    free(r.waiting.at);
    return r.failed;
}
