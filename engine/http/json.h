/* JSON text for people and API clients: the replies of kaoshi serve and the
 * command line's JSON (engine/http/json.c). jansson writes a real with 17
 * significant digits (6.3 as 6.2999999999999998); here every real is written
 * as the shortest text that reads back as the same double (6.3,
 * 0.30000000000000004), in jansson's layout otherwise (100.0 stays a real,
 * 1.5e-7 keeps its exponent). Stored JSON (forms, answers, results) is not
 * written with this: only what is shown. */
#ifndef KAOSHI_HTTP_JSON_H
#define KAOSHI_HTTP_JSON_H

#include <jansson.h>

/* json_dumps(v, flags) with every real written shortest; flags must not hold
 * JSON_REAL_PRECISION. The text is the caller's to free(); NULL when
 * json_dumps gives none (out of memory, v NULL, or a lone value without
 * JSON_ENCODE_ANY). */
char *http_json_text(const json_t *v, size_t flags);

#endif
