/* A certificate of the register as the PDF handed to its holder: one A4
 * landscape page with the series and title, the holder's name, the role,
 * the certification code, the score, the date of issue, the issuer, the
 * number, the fingerprints of the signature and of the signing key, and
 * where to verify it (with a QR code when that is a full URL). Text is set in
 * WenQuanYi Zen Hei, embedded as a subset, so the file shows the same
 * everywhere. Only a certificate that verifies is rendered. Implemented in
 * engine/certificate_pdf.c. */
#ifndef KAOSHI_CERTIFICATE_PDF_H
#define KAOSHI_CERTIFICATE_PDF_H

#include <stddef.h>

#include "kaoshi/sign.h"
#include "kaoshi/store.h"

/* The fontconfig family the certificate is set in (Debian: fonts-wqy-zenhei). */
#define KS_CERTIFICATE_FONT "WenQuanYi Zen Hei"

/* Verifies certificate number against pk and the revocation list, then
 * renders it: *pdf (malloc'd) holds *len bytes. The verification address
 * printed on it is /verify/NUMBER, or url_base (NULL for none; "http://" or
 * "https://" and a host, a trailing '/' ignored) followed by that path, which
 * then also becomes a QR code. KS_ENOTFOUND for a number never issued;
 * KS_ESTATE for a certificate that is revoked or whose signature fails;
 * KS_EINPUT for a bad url_base; KS_EIO when the font is not installed (no
 * certificate is set in a fallback font); KS_EINTERNAL when drawing fails. */
ks_status ks_certificate_pdf(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                             const char *number, const char *url_base, char **pdf, size_t *len,
                             ks_error *err);

/* KS_OK when url_base is acceptable to ks_certificate_pdf, else KS_EINPUT
 * saying what is expected. */
ks_status ks_certificate_pdf_check_url(const char *url_base, ks_error *err);

/* Renders as ks_certificate_pdf and writes the PDF to path atomically: into a
 * temporary file in path's directory, synced, then renamed over path. On any
 * failure nothing is left behind. */
ks_status ks_certificate_pdf_write(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                                   const char *number, const char *url_base, const char *path,
                                   ks_error *err);

#endif
