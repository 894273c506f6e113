/* JSON text with the shortest reals, for what people and API clients read
 * (the replies of kaoshi serve, the command line's JSON) and for the views
 * stored to be sent as they are (a form drawn ahead). jansson writes a real
 * with 17 significant digits (6.3 as 6.2999999999999998); here every real is
 * written as the shortest text that reads back as the same double (6.3,
 * 0.30000000000000004), in jansson's layout otherwise (100.0 stays a real,
 * 1.5e-7 keeps its exponent). Forms, answers and results stored for the
 * engine itself are written with plain json_dumps. Depends on jansson. */
#ifndef KAOSHI_JSON_TEXT_H
#define KAOSHI_JSON_TEXT_H

#include <jansson.h>

/* json_dumps(v, flags) with every real written shortest; flags must not hold
 * JSON_REAL_PRECISION. The text is the caller's to free(); NULL when
 * json_dumps gives none (out of memory, v NULL, or a lone value without
 * JSON_ENCODE_ANY). */
char *ks_json_text(const json_t *v, size_t flags);

#endif
