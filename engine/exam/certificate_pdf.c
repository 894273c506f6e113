/* The certificate's PDF (see kaoshi/certificate_pdf.h). Depends on the
 * certificate register and its verification, jansson (reading the signed
 * payload), pangocairo (text layout through fontconfig; cairo's PDF surface
 * embeds a subset of each font it uses), libqrencode (the QR code, drawn as
 * cairo rectangles) and POSIX file calls (the atomic write). */
#include "kaoshi/certificate_pdf.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <jansson.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaoshi/certificate.h"

/* A4 landscape, in points. */
#define PAGE_W 841.89
#define PAGE_H 595.28
#define MAX_URL_BASE 400

typedef struct rgb {
    double r, g, b;
} rgb;

static const rgb INK = {0.10, 0.15, 0.29};
static const rgb RED = {0.58, 0.09, 0.09};
static const rgb GOLD = {0.68, 0.54, 0.22};
static const rgb MUTED = {0.35, 0.38, 0.44};
static const rgb PAPER = {0.992, 0.980, 0.945};

/* What the page says: strings borrowed from the payload, except those below. */
typedef struct fields {
    const char *number, *name, *title, *series, *role, *code, *issuer, *date;
    char score[80];  /* "85 / 100 分", or "" when the payload has no score */
    char issued[32]; /* "2027年7月20日" */
    char sig_fp[KS_SIGN_FINGERPRINT], key_fp[KS_SIGN_FINGERPRINT];
    char *verify; /* the verification address, malloc'd */
    int qr;       /* verify is a full URL: draw it as a QR code too */
} fields;

/* ---- the payload ----------------------------------------------------------------- */

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A number as the page shows it: at most two decimals, no trailing zeros. */
static void number_text(double v, char *out, size_t size)
{
    snprintf(out, size, "%.2f", v);
    char *end = out + strlen(out);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        end[-1] = '\0';
}

static void score_text(json_t *payload, char *out, size_t size)
{
    json_t *score = json_object_get(payload, "score");
    json_t *max = json_object_get(payload, "max_score");
    out[0] = '\0';
    if (!json_is_number(score) || !json_is_number(max))
        return;
    char a[32], b[32];
    number_text(json_number_value(score), a, sizeof a);
    number_text(json_number_value(max), b, sizeof b);
    snprintf(out, size, "%s / %s 分", a, b);
}

static void date_text(const char *iso, char *out, size_t size)
{
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
        snprintf(out, size, "%d年%d月%d日", y, m, d);
    else
        snprintf(out, size, "%s", iso);
}

/* The base of the verification address: http(s)://HOST[...], printable
 * ASCII without spaces, quotes or angle brackets. */
ks_status ks_certificate_pdf_check_url(const char *base, ks_error *err)
{
    size_t n = strlen(base);
    size_t scheme = strncmp(base, "https://", 8) == 0  ? 8
                    : strncmp(base, "http://", 7) == 0 ? 7
                                                       : 0;
    int ok = scheme && n > scheme && n <= MAX_URL_BASE && base[scheme] != '/';
    for (const char *p = base; ok && *p; p++)
        ok = *p > ' ' && *p <= '~' && !strchr("\"<>\\", *p);
    if (!ok)
        return ks_error_set(err, KS_EINPUT,
                            "'%s' is not the base of a verification address (expected "
                            "http:// or https:// and a host, like https://kaoshi.example.org)",
                            base);
    return KS_OK;
}

static ks_status read_fields(const ks_certificate *c, json_t *p, const unsigned char *pk,
                             const char *url_base, fields *f, ks_error *err)
{
    json_t *candidate = json_object_get(p, "candidate");
    json_t *cert = json_object_get(p, "certification");
    f->number = str(p, "number");
    f->name = str(candidate, "name");
    f->title = str(cert, "title");
    f->series = str(cert, "series");
    f->role = str(cert, "role");
    f->code = str(cert, "code");
    f->issuer = str(cert, "issuer");
    f->date = str(p, "date");
    if (!f->number || !f->name || !f->title || !f->code || !f->issuer || !f->date)
        return ks_error_set(err, KS_EINPUT,
                            "certificate %s: its payload lacks the number, the candidate's "
                            "name, or the certification's code, title or issuer, or the date",
                            c->number);
    score_text(p, f->score, sizeof f->score);
    date_text(f->date, f->issued, sizeof f->issued);
    ks_sign_signature_fingerprint(c->signature, f->sig_fp);
    ks_sign_fingerprint(pk, f->key_fp);
    size_t base_len = 0;
    if (url_base) {
        if (ks_certificate_pdf_check_url(url_base, err))
            return KS_EINPUT;
        base_len = strlen(url_base);
        while (base_len > 0 && url_base[base_len - 1] == '/')
            base_len--;
    }
    if (asprintf(&f->verify, "%.*s/verify/%s", (int)base_len, url_base ? url_base : "",
                 f->number) < 0) {
        f->verify = NULL;
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    f->qr = url_base != NULL;
    return KS_OK;
}

/* ---- drawing --------------------------------------------------------------------- */

typedef struct page {
    cairo_t *cr;
    PangoContext *pc;
} page;

static void color(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* A layout of s in the certificate's font at size points, spacing points
 * between characters. */
static PangoLayout *layout_of(page *p, const char *s, double size, double spacing)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, KS_CERTIFICATE_FONT);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    if (spacing > 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(spacing * PANGO_SCALE)));
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(l, s, -1);
    return l;
}

/* Draws s on one line in the box of width w from x, with its top at y:
 * centred, or from the left. A line wider than the box is set smaller, to
 * fit it. Returns the height of the line. */
static double text(page *p, const char *s, double size, double spacing, rgb c, double x, double y,
                   double w, int centred)
{
    PangoLayout *l = layout_of(p, s, size, spacing);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    double natural = (double)lw / PANGO_SCALE;
    if (natural > w) {
        g_object_unref(l);
        l = layout_of(p, s, size * w / natural * 0.98, spacing * w / natural);
        pango_layout_get_size(l, &lw, &lh);
        natural = (double)lw / PANGO_SCALE;
    }
    /* letter spacing follows the last character too: leave it out of centring */
    double left = centred ? x + (w - natural + spacing) / 2 : x;
    color(p->cr, c);
    cairo_move_to(p->cr, left, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    return (double)lh / PANGO_SCALE;
}

/* text() of a formatted line, set from the left. */
static void textf(page *p, double size, rgb c, double x, double y, double w, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static void textf(page *p, double size, rgb c, double x, double y, double w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    text(p, s, size, 0, c, x, y, w, 0);
    g_free(s);
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1, double width, rgb c)
{
    color(cr, c);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static void diamond(cairo_t *cr, double cx, double cy, double r, rgb c)
{
    color(cr, c);
    cairo_move_to(cr, cx, cy - r);
    cairo_line_to(cr, cx + r, cy);
    cairo_line_to(cr, cx, cy + r);
    cairo_line_to(cr, cx - r, cy);
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* A rule of two lines with a diamond between them, centred on cx. */
static void divider(cairo_t *cr, double cx, double y, double half)
{
    line(cr, cx - half, y, cx - 10, y, 0.8, GOLD);
    line(cr, cx + 10, y, cx + half, y, 0.8, GOLD);
    diamond(cr, cx, y, 4, GOLD);
}

static void frame(cairo_t *cr)
{
    color(cr, PAPER);
    cairo_paint(cr);
    color(cr, GOLD);
    cairo_set_line_width(cr, 5);
    cairo_rectangle(cr, 20, 20, PAGE_W - 40, PAGE_H - 40);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, 29, 29, PAGE_W - 58, PAGE_H - 58);
    cairo_stroke(cr);
    color(cr, INK);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, 34, 34, PAGE_W - 68, PAGE_H - 68);
    cairo_stroke(cr);
    const double cx[] = {34, PAGE_W - 34}, cy[] = {34, PAGE_H - 34};
    for (int i = 0; i < 4; i++) {
        diamond(cr, cx[i % 2], cy[i / 2], 7, GOLD);
        diamond(cr, cx[i % 2], cy[i / 2], 3, PAPER);
    }
}

/* The QR code of url, size points square with a white margin, at x, y. */
static int qr_code(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return -1;
    double m = size / (q->width + 4);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    color(cr, INK);
    for (int row = 0; row < q->width; row++)
        for (int col = 0; col < q->width; col++)
            if (q->data[row * q->width + col] & 1)
                cairo_rectangle(cr, x + (col + 2) * m, y + (row + 2) * m, m, m);
    cairo_fill(cr);
    QRcode_free(q);
    return 0;
}

/* The stated facts in a row of columns: label above, value below. */
static void facts(page *p, const fields *f, double y)
{
    const char *label[3], *value[3];
    int n = 0;
    if (f->role) {
        label[n] = "认证岗位";
        value[n++] = f->role;
    }
    label[n] = "认证代码";
    value[n++] = f->code;
    if (f->score[0]) {
        label[n] = "考试成绩";
        value[n++] = f->score;
    }
    const double col = 210, left = PAGE_W / 2 - col * n / 2;
    for (int i = 0; i < n; i++) {
        double x = left + col * i;
        text(p, label[i], 11, 2, MUTED, x, y, col, 1);
        text(p, value[i], 18, 0, INK, x + 8, y + 20, col - 16, 1);
        if (i > 0)
            line(p->cr, x, y + 4, x, y + 44, 0.6, GOLD);
    }
}

static ks_status draw(page *p, const fields *f, ks_error *err)
{
    cairo_t *cr = p->cr;
    const double cx = PAGE_W / 2, box = PAGE_W - 160;
    frame(cr);
    char *heading = g_strconcat(f->series ? f->series : "", f->title, NULL);
    text(p, heading, 21, 0, INK, 80, 64, box, 1);
    g_free(heading);
    divider(cr, cx, 106, 170);
    text(p, "证书", 50, 28, RED, 80, 118, box, 1);
    text(p, "兹证明", 15, 2, MUTED, 80, 206, box, 1);
    double h = text(p, f->name, 34, 0, INK, 80, 230, box, 1);
    line(cr, cx - 150, 236 + h, cx + 150, 236 + h, 0.8, GOLD);
    text(p, "经考核合格，取得以下认证，特发此证。", 15, 1, INK, 80, 296, box, 1);
    facts(p, f, 338);

    double small = 64;
    if (f->qr) {
        if (qr_code(cr, f->verify, 64, 440, 86) != 0)
            return ks_error_set(err, KS_EINTERNAL, "cannot encode %s as a QR code", f->verify);
        text(p, "扫码验证", 9, 1, MUTED, 64, 530, 86, 1);
        small = 164;
    }
    const double sw = 290;
    textf(p, 11.5, INK, small, 446, sw, "证书编号：%s", f->number);
    textf(p, 9.5, MUTED, small, 468, sw, "发证日期：%s", f->issued);
    textf(p, 9.5, MUTED, small, 485, sw, "签名指纹：%s", f->sig_fp);
    textf(p, 9.5, MUTED, small, 502, sw, "公钥指纹：%s", f->key_fp);
    textf(p, 9.5, MUTED, small, 519, sw, "验证：%s", f->verify);

    const double iw = 330, ix = PAGE_W - 70 - iw;
    text(p, "发证机构", 11, 2, MUTED, ix, 446, iw, 1);
    text(p, f->issuer, 14, 0, INK, ix, 468, iw, 1);
    line(cr, ix + 40, 494, ix + iw - 40, 494, 0.6, GOLD);
    text(p, f->issued, 12.5, 0, INK, ix, 502, iw, 1);
    return KS_OK;
}

/* ---- the PDF --------------------------------------------------------------------- */

static cairo_status_t to_stream(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* 1 when the font map resolves the certificate's family to itself rather
 * than to a fallback. */
static int font_installed(PangoFontMap *fm, PangoContext *pc)
{
    PangoFontDescription *want = pango_font_description_from_string(KS_CERTIFICATE_FONT " 12");
    PangoFont *font = pango_font_map_load_font(fm, pc, want);
    PangoFontDescription *got = font ? pango_font_describe(font) : NULL;
    const char *family = got ? pango_font_description_get_family(got) : NULL;
    int ok = family && strcasecmp(family, KS_CERTIFICATE_FONT) == 0;
    if (got)
        pango_font_description_free(got);
    if (font)
        g_object_unref(font);
    pango_font_description_free(want);
    return ok;
}

static ks_status render(const fields *f, char **pdf, size_t *len, ks_error *err)
{
    *pdf = NULL;
    *len = 0;
    FILE *out = open_memstream(pdf, len);
    if (!out)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_stream, out, PAGE_W, PAGE_H);
    /* dated the day of issue, so a certificate always renders the same bytes */
    char *title = g_strdup_printf("证书 %s", f->number);
    char *created = g_strdup_printf("%.10sT00:00:00", f->date);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, f->issuer);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Kaoshi");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
    g_free(title);
    g_free(created);
    cairo_t *cr = cairo_create(surface);
    /* a font map of our own: nothing shared between threads, nothing kept */
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_update_context(cr, pc);
    page p = {cr, pc};
    ks_status rc = KS_OK;
    if (!font_installed(fm, pc))
        rc = ks_error_set(err, KS_EIO,
                          "the font \"%s\" is not installed (Debian package fonts-wqy-zenhei); "
                          "a certificate is never set in a fallback font",
                          KS_CERTIFICATE_FONT);
    else
        rc = draw(&p, f, err);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    g_object_unref(pc);
    g_object_unref(fm);
    if (fclose(out) != 0 && !rc)
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc && st != CAIRO_STATUS_SUCCESS)
        rc = ks_error_set(err, KS_EINTERNAL, "drawing the certificate failed: %s",
                          cairo_status_to_string(st));
    if (rc) {
        free(*pdf);
        *pdf = NULL;
        *len = 0;
    }
    return rc;
}

ks_status ks_certificate_pdf(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                             const char *number, const char *url_base, char **pdf, size_t *len,
                             ks_error *err)
{
    *pdf = NULL;
    *len = 0;
    ks_verification v;
    ks_status rc = ks_certificate_verify(st, pk, number, NULL, &v, err);
    if (rc)
        return rc;
    if (v.verdict == KS_VERDICT_UNKNOWN)
        rc = ks_error_set(err, KS_ENOTFOUND, "%s", v.reason);
    else if (v.verdict != KS_VERDICT_VALID)
        rc = ks_error_set(err, KS_ESTATE, "certificate %s does not verify (%s); no PDF is made",
                          number, v.reason);
    json_t *payload = rc ? NULL : json_loads(v.cert.payload, 0, NULL);
    fields f = {0};
    if (!rc && !payload)
        rc = ks_error_set(err, KS_EINTERNAL, "certificate %s: unreadable payload", number);
    if (!rc)
        rc = read_fields(&v.cert, payload, pk, url_base, &f, err);
    if (!rc)
        rc = render(&f, pdf, len, err);
    free(f.verify);
    json_decref(payload);
    ks_verification_free(&v);
    return rc;
}

/* ---- writing the file ------------------------------------------------------------ */

static ks_status write_all(int fd, const char *data, size_t len, const char *path, ks_error *err)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
        data += w;
        len -= (size_t)w;
    }
    return KS_OK;
}

static ks_status write_atomically(const char *path, const char *data, size_t len, ks_error *err)
{
    const char *slash = strrchr(path, '/');
    char *tmp = NULL;
    if (asprintf(&tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
                 slash ? slash + 1 : path) < 0)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ks_status rc = ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    /* mkstemp makes the file private; a certificate is for handing out, so
     * give it the mode a new file gets (the umask is read back at once) */
    mode_t mask = umask(022);
    umask(mask);
    ks_status rc = KS_OK;
    if (fchmod(fd, 0666 & ~mask) != 0)
        rc = ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
    if (!rc)
        rc = write_all(fd, data, len, path, err);
    if (!rc && fsync(fd) != 0)
        rc = ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && !rc)
        rc = ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = ks_error_set(err, KS_EIO, "cannot write %s: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

ks_status ks_certificate_pdf_write(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                                   const char *number, const char *url_base, const char *path,
                                   ks_error *err)
{
    char *pdf;
    size_t len;
    ks_status rc = ks_certificate_pdf(st, pk, number, url_base, &pdf, &len, err);
    if (!rc)
        rc = write_atomically(path, pdf, len, err);
    free(pdf);
    return rc;
}
