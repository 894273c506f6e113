/* The view vocabulary (engine/lua/widget.c): the widgets a question type's
 * present() answers with, the shape of the response each asks for, and the
 * check of a candidate's response against that shape. Not a public header:
 * the lifecycle reaches it through kaoshi/cert.h. */
#ifndef KAOSHI_LUA_WIDGET_H
#define KAOSHI_LUA_WIDGET_H

#include <jansson.h>
#include <stddef.h>

/* 0 when view is a well-formed view; else -1 with what is wrong in why. */
int ks_widget_check_view(const json_t *view, char *why, size_t cap);

/* What a response to a checked view must look like, kept with the form:
 * {"widget": NAME} plus "ids" (of options, items or right-hand entries),
 * "n" (blanks, points or max_chars) and "left" (a match's left entries).
 * A new reference, or NULL when view names no widget. */
json_t *ks_widget_shape(const json_t *view);

/* The texts of the entries a response to a checked view names by their
 * place on the page (a choice's options, the items to order, a match's
 * right-hand entries), as shown: a new list, empty for other widgets. */
json_t *ks_widget_places(const json_t *view);

/* 0 when response (a JSON object) fits shape, is empty (the candidate
 * withdrew the answer: graded as unanswered), or when shape names no widget
 * (a form drawn before shapes were kept); else -1 with what is wrong, naming
 * the field, in why ("field 'choice': expected an option id, 1 to 4"). */
int ks_widget_check_response(const json_t *shape, const json_t *response, char *why,
                             size_t cap);

#endif
