/* The route table: every URL the server answers, who may call it and
 * whether it changes state (and so needs the CSRF token); the first route
 * that matches a request's path and method answers it. docs/api.md
 * documents each; tests/cli/test_http_api_doc.sh keeps the two in step. */
#include "http/app.h"

const http_route http_routes[] = {
    /* pages and their scripts and styles */
    {"GET", "/", HTTP_PUBLIC, 0, http_page},
    {"GET", "/exam", HTTP_PUBLIC, 0, http_page},
    {"GET", "/proctor", HTTP_PUBLIC, 0, http_page},
    {"GET", "/verify", HTTP_PUBLIC, 0, http_page},
    {"GET", "/verify/{}", HTTP_PUBLIC, 0, http_page},
    {"GET", "/proctor/sittings/{}/report", HTTP_PROCTOR_PAGE, 0, http_report_page},
    {"GET", "/static/report.css", HTTP_PUBLIC, 0, http_report_css}, /* before /static/{} */
    {"GET", "/static/{}", HTTP_PUBLIC, 0, http_static},
    /* sessions */
    {"POST", "/api/login", HTTP_PUBLIC, 0, http_login_candidate},
    {"POST", "/api/proctor/login", HTTP_PUBLIC, 0, http_login_proctor},
    {"POST", "/api/logout", HTTP_SESSION, 1, http_logout},
    {"GET", "/api/session", HTTP_SESSION, 0, http_session_info},
    /* candidates */
    {"GET", "/api/me", HTTP_CANDIDATE, 0, http_me},
    {"POST", "/api/attempts", HTTP_CANDIDATE, 1, http_start},
    {"GET", "/api/attempts/{}", HTTP_CANDIDATE, 0, http_attempt},
    {"GET", "/api/attempts/{}/status", HTTP_CANDIDATE, 0, http_status},
    {"GET", "/api/attempts/{}/events", HTTP_CANDIDATE, 0, http_attempt_events},
    {"PUT", "/api/attempts/{}/answers/{}", HTTP_CANDIDATE, 1, http_save},
    {"PUT", "/api/attempts/{}/flags/{}", HTTP_CANDIDATE, 1, http_flag},
    {"POST", "/api/attempts/{}/submit", HTTP_CANDIDATE, 1, http_submit},
    {"POST", "/api/attempts/{}/aids", HTTP_CANDIDATE, 1, http_aid_used},
    {"GET", "/api/attempts/{}/result", HTTP_CANDIDATE, 0, http_result},
    {"GET", "/api/attempts/{}/certificate.pdf", HTTP_CANDIDATE, 0, http_certificate_pdf},
    /* anyone: is a certificate valid? */
    {"GET", "/api/verify/{}", HTTP_PUBLIC, 0, http_verify},
    /* proctors */
    {"GET", "/api/sittings", HTTP_PROCTOR, 0, http_sittings},
    {"GET", "/api/sittings/{}", HTTP_PROCTOR, 0, http_live},
    {"GET", "/api/sittings/{}/events", HTTP_PROCTOR, 0, http_sitting_events},
    {"POST", "/api/sittings/{}/open", HTTP_PROCTOR, 1, http_sitting_open},
    {"POST", "/api/sittings/{}/close", HTTP_PROCTOR, 1, http_sitting_close},
    {"POST", "/api/sittings/{}/grade", HTTP_PROCTOR, 1, http_sitting_grade},
    {"POST", "/api/sittings/{}/publish", HTTP_PROCTOR, 1, http_sitting_publish},
    {"GET", "/api/sittings/{}/marking", HTTP_PROCTOR, 0, http_marking},
    {"GET", "/api/sittings/{}/results", HTTP_PROCTOR, 0, http_results},
    {"GET", "/api/sittings/{}/amendments", HTTP_PROCTOR, 0, http_amendments},
    {"GET", "/api/sittings/{}/report", HTTP_PROCTOR, 0, http_report},
    {"GET", "/api/sittings/{}/report.csv", HTTP_PROCTOR, 0, http_report_csv},
    {"POST", "/api/proctor/attempts/{}/extend", HTTP_PROCTOR, 1, http_extend},
    {"POST", "/api/proctor/attempts/{}/pause", HTTP_PROCTOR, 1, http_pause},
    {"POST", "/api/proctor/attempts/{}/resume", HTTP_PROCTOR, 1, http_resume},
    {"POST", "/api/proctor/attempts/{}/submit", HTTP_PROCTOR, 1, http_force_submit},
    {"POST", "/api/proctor/attempts/{}/notes", HTTP_PROCTOR, 1, http_note},
    {"POST", "/api/proctor/attempts/{}/marks", HTTP_PROCTOR, 1, http_mark},
    {"DELETE", "/api/proctor/attempts/{}/marks/{}", HTTP_PROCTOR, 1, http_mark_clear},
    {0, 0, 0, 0, 0},
};
