/* A lone bank checked without a certification: its items against the
 * built-in question types, in a sandbox with the author API but no script.
 * Implemented in the Lua layer: engine/lua/cert_bank.c. */
#ifndef KAOSHI_CERT_BANK_H
#define KAOSHI_CERT_BANK_H

#include "kaoshi/bank.h"
#include "kaoshi/error.h"

/* Checks every item of bank whose type is built in as ks_cert_load would
 * (unknown fields, each field's kind, the type's validate()), each problem a
 * line of problems in the same form ("BANK:LINE:COL: item 'ID': field
 * 'answer': expected ..., found 7"). What only a certification can check is a
 * line of notes: an item of another type ("BANK:LINE:COL: item 'ID': needs a
 * certification that declares question type 'x'") and the generator a
 * calculated item names ("BANK:LINE:COL: item 'ID': generator 'cv': checked
 * only with a certification"). Returns KS_OK, KS_EINPUT when an item fails,
 * or the sandbox's failure (its message in problems). */
ks_status ks_cert_check_bank(const ks_bank *bank, ks_diags *problems, ks_diags *notes);

#endif
