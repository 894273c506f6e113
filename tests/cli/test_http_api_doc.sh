# The HTTP API's document (docs/api.md) and its route table
# (engine/http/routes.c) cannot drift: every route has its "### METHOD PATH"
# section and every section is a route.

routes() { # "METHOD PATH" per route, {} for each path parameter
    sed -n 's/^ *{"\([A-Z]*\)", "\([^"]*\)",.*/\1 \2/p' "$ROOT/engine/http/routes.c" | sort
}

documented() {
    sed -n 's/^### \([A-Z]*\) \(\/.*\)$/\1 \2/p' "$ROOT/docs/api.md" | sed 's/{[a-z_]*}/{}/g' | sort
}

t_every_route_is_documented_and_every_section_is_a_route() {
    [ "$(routes | wc -l)" -ge 20 ] || fail "found only $(routes | wc -l) routes in routes.c"
    missing=$(comm -23 <(routes) <(documented))
    [ -z "$missing" ] || fail "routes without a section in docs/api.md: $missing"
    extra=$(comm -13 <(routes) <(documented))
    [ -z "$extra" ] || fail "sections of docs/api.md that are no route: $extra"
}
