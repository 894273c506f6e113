/* The questions already drawn on the forms of a sitting, checked against an
 * amendment of its certification (engine/exam/exam_drawn.c, for
 * exam_amend.c): what forms hold must keep its meaning, since candidates
 * answered what their pages showed. Not a public header. */
#ifndef KAOSHI_EXAM_DRAWN_H
#define KAOSHI_EXAM_DRAWN_H

#include "kaoshi/exam.h"

typedef struct exam_drawn exam_drawn;

/* Reads the forms of sitting s's attempts as they are now (within the
 * caller's transaction, if one is open) into *d, a new one when *d is NULL;
 * read again, what was presented before is not presented again. Then
 * checks every question on them against amended, old being the
 * certification of the sitting's current version: its item must be in the
 * amended banks with the same type; presented with its data by amended (as
 * a start presents it), it must take answers of the shape its form keeps
 * (forms drawn before shapes were kept have none to compare) and show the
 * entries answers name by their place (options, items to order, right-hand
 * entries) in the order old shows them, unless their texts changed. A
 * problem refuses: KS_ESTATE "cannot amend sitting 'NAME': ..." with a line
 * an item and problem, naming how many attempts' forms hold it. */
ks_status exam_drawn_check(ks_exam *x, const ks_sitting *s, ks_cert *old, ks_cert *amended,
                           exam_drawn **d, ks_error *err);

/* After exam_drawn_check: *warning (malloc'd), or NULL when amended gives
 * every question on the forms the points its form holds (grading keeps
 * them: the page showed them): "12 drawn questions keep the points their
 * forms were drawn with (section 2: 10 → 20); attempts started from now on
 * get the new points". */
ks_status exam_drawn_points(const exam_drawn *d, ks_cert *amended, char **warning,
                            ks_error *err);

void exam_drawn_free(exam_drawn *d);

#endif
