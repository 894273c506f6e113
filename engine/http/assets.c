/* Serves the embedded pages (engine/http/assets.h): each page by its
 * route's pattern and their scripts and styles under /static/. */
#include <string.h>

#include "http/app.h"
#include "http/assets.h"

static const struct {
    const char *pattern, *page;
} pages[] = {
    {"/", "index.html"},
    {"/exam", "exam.html"},
    {"/proctor", "proctor.html"},
    {"/verify", "verify.html"},
    {"/verify/{}", "verify.html"}, /* the page reads the number from its address */
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
};

static int serve(http_req *r, const char *name)
{
    for (const http_asset *a = http_assets; a->name; a++) {
        if (strcmp(a->name, name) != 0)
            continue;
        for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
            size_t n = strlen(name), e = strlen(types[i].ext);
            if (n > e && strcmp(name + n - e, types[i].ext) == 0) {
                r->status = 200;
                r->data = a->data;
                r->data_len = a->len;
                r->content_type = types[i].type;
                return 1;
            }
        }
    }
    return 0;
}

void http_page(http_req *r)
{
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strcmp(r->route->pattern, pages[i].pattern) == 0 && serve(r, pages[i].page))
            return;
    http_fail(r, 404, "not_found", "没有找到");
}

void http_static(http_req *r)
{
    const char *name = r->params[0];
    size_t n = strlen(name);
    int page = n > 5 && strcmp(name + n - 5, ".html") == 0;
    if (page || !serve(r, name))
        http_fail(r, 404, "not_found", "没有找到");
}
