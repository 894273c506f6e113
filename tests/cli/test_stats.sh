# kaoshi stats NAME: JSON inputs on stdin, JSON outputs on stdout, the
# contract's errors as {"error","message"} with exit 1, usage errors exit 2.

t_stats_cv_exact_output() {
    run stats cv <<<'{"x":[1,2,3]}'
    expect_rc 0
    expect_out '{"n":3,"mean":2.0,"sd":1.0,"cv":0.5,"cv_percent":50.0}'
    expect_err ""
}

t_stats_population_sd() {
    run stats cv <<<'{"x":[1,2,3],"ddof":0}'
    expect_rc 0
    expect_out '{"n":3,"mean":2.0,"sd":0.81649658092772603,"cv":0.40824829046386302,"cv_percent":40.824829046386299}'
}

t_stats_defaults_apply() {
    run stats sd_limits <<<'{"x":[1,2,3,4]}'
    expect_out '{"center":2.5,"sigma":1.2909944487358056,"ucl":6.372983346207417,"lcl":-1.372983346207417}'
    run stats sd_limits <<<'{"x":[1,2,3,4],"ddof":1,"k":3}'
    expect_out '{"center":2.5,"sigma":1.2909944487358056,"ucl":6.372983346207417,"lcl":-1.372983346207417}'
}

t_stats_contract_error_is_json_and_exit_1() {
    run stats cv <<<'{"x":[1]}'
    expect_rc 1
    expect_out '{"error":"E_N_TOO_SMALL","message":"cv: too few observations for the statistic"}'
    expect_err ""
    run stats cv <<<'{"x":[-1,1]}'
    expect_rc 1
    expect_out_has '"error":"E_DIV_ZERO"'
    run stats pearson_test <<<'{"x":[1,2,3],"y":[1,2],"alpha":2}'
    expect_rc 1
    expect_out_has '"error":"E_LENGTH_MISMATCH"'
}

t_stats_fractional_whole_number_is_domain_error() {
    run stats moving_average <<<'{"x":[1,2,3],"k":2.5}'
    expect_rc 1
    expect_out '{"error":"E_DOMAIN","message":"moving_average: '"'k'"' must be a whole number"}'
    run stats moving_average <<<'{"x":[1,2,3],"k":2.0}'
    expect_rc 0
    expect_out '{"forecasts":[1.5,2.5],"next":2.5,"mae":1.5,"mape_percent":50.0}'
}

t_stats_ragged_matrix_is_length_mismatch() {
    run stats kr20 <<<'{"matrix":[[1,0],[1]]}'
    expect_rc 1
    expect_out '{"error":"E_LENGTH_MISMATCH","message":"kr20: '"'matrix'"' has rows of different lengths"}'
}

t_stats_nan_and_infinity_are_strings() {
    run stats pearson_test <<<'{"x":[1,2,3],"y":[6,4,2]}'
    expect_rc 0
    expect_out '{"n":3,"df":1,"r":-1.0,"r2":1.0,"t":"-inf","p_two_sided":0.0,"t_crit":12.706204736174694,"r_crit":0.99691733373312796,"significant":true}'
    run stats moving_average <<<'{"x":[4,8,9],"k":3}'
    expect_out '{"forecasts":[7.0],"next":7.0,"mae":"nan","mape_percent":"nan"}'
    run stats erlang_c <<<'{"calls":2880,"interval_s":1800,"aht_s":300,"agents":480,"target_s":20}'
    expect_out '{"traffic_erlangs":480.0,"occupancy":1.0,"p_wait":1.0,"service_level":0.0,"asa_s":"inf","stable":false}'
}

t_stats_control_rules_output() {
    run stats control_rules <<<'{"x":[61,62,50],"center":50,"sigma":5}'
    expect_rc 0
    expect_out '{"signals":{"rule1":[],"rule3":[1],"rule5":[],"rule6":[],"rule8":[]},"pattern_points":{"rule1":[],"rule3":[0,1],"rule5":[],"rule6":[],"rule8":[]},"any_signal":[1]}'
}

t_stats_counts_are_integers() {
    run stats item_analysis <<<'{"matrix":[[1,0,1],[1,1,1],[0,0,1],[1,1,0]],"group_frac":0.5}'
    expect_rc 0
    expect_out_has '"n_examinees":4,"n_items":3,"totals":[2,3,1,2],'
    expect_out_has '"group_size":2,"upper_group":[0,1],"lower_group":[0,2],"D":[0.5,0.5,0.0]'
    run stats ttest_student <<<'{"a":[1,2,3],"b":[2,4,6]}'
    expect_out_has '"df":4,"pooled_var":2.5,'
    run stats ttest_welch <<<'{"a":[1,2,3],"b":[2,4,6]}'
    expect_out_has '"df":2.9411764705882346,"p_two_sided":'
}

t_stats_ieee_traps() {
    run stats staff_with_shrinkage <<<'{"agents":42,"shrinkage":0.3}'
    expect_out '{"raw":60.000000000000007,"scheduled":60}'
    run stats sample_size_proportion <<<'{"z":2.58,"margin":0.03,"p":0.5}'
    expect_out '{"z":2.5800000000000001,"n0":1849.0000000000002,"n":1849}'
}

t_stats_optional_population() {
    run stats sample_size_proportion <<<'{"conf":0.95,"margin":0.05,"p":0.5,"population":1000}'
    expect_rc 0
    expect_out '{"z":1.9599639845400536,"n0":384.14588206941227,"n":385,"n_fpc_real":277.73345317318751,"n_fpc":278}'
    run stats sample_size_proportion <<<'{"margin":0.05,"p":0.5}'
    expect_rc 2
    expect_err "kaoshi stats: sample_size_proportion: needs 'conf' or 'z'"
}

t_stats_unknown_function() {
    run stats foo <<<'{}'
    expect_rc 2
    expect_out ""
    expect_err "kaoshi stats: unknown function 'foo'; 'kaoshi stats --list' lists them"
}

t_stats_bad_inputs_exit_2() {
    run stats cv <<<'{"x":[1,2],"y":3}'
    expect_rc 2
    expect_err "kaoshi stats: cv: unknown input 'y' (inputs: x, ddof)"
    run stats cv <<<'{"x":"1,2"}'
    expect_rc 2
    expect_err "kaoshi stats: cv: input 'x' must be an array of numbers"
    run stats cv <<<'{"x":[1,2],"ddof":true}'
    expect_rc 2
    expect_err "kaoshi stats: cv: input 'ddof' must be a number"
    run stats cv <<<'{}'
    expect_rc 2
    expect_err "kaoshi stats: cv: missing input 'x'"
    run stats kr20 <<<'{"matrix":[[1,0],[0,"1"]]}'
    expect_rc 2
    expect_err "kaoshi stats: kr20: input 'matrix' must be an array of arrays of numbers"
    run stats cv <<<'[1,2]'
    expect_rc 2
    expect_err "kaoshi stats: cv: the input must be a JSON object"
}

t_stats_malformed_json() {
    run stats cv <<<'{"x":[1,2'
    expect_rc 2
    expect_out ""
    expect_err "kaoshi stats: stdin is not a JSON object: ']' expected near end of file (line 2, column 0)"
    run stats cv <<<'{"x":[1,2]} {}'
    expect_rc 2
    expect_err_has "end of file expected"
    run stats cv <<<'{"x":[1],"x":[1,2,3]}'
    expect_rc 2
    expect_err_has "duplicate object key"
}

t_stats_usage() {
    run stats
    expect_rc 2
    expect_err "kaoshi stats: expected one function name or --list
Try 'kaoshi stats --help'."
    run stats cv extra
    expect_rc 2
    run stats --help
    expect_rc 0
    expect_out_has "usage: kaoshi stats NAME < INPUTS.json"
    expect_out_has "kaoshi stats --list"
}

t_stats_list() {
    run stats --list
    expect_rc 0
    expect_out "cv
zscores
xmr_limits
sd_limits
p_chart
control_rules
pearson_test
linreg
ttest_student
ttest_welch
ttest_paired
moving_average
ses
linear_trend
seasonal_index
mape
erlang_c
erlang_agents_required
staff_with_shrinkage
sample_size_proportion
item_analysis
kr20
cronbach_alpha
sem"
}

# Every listed function is reachable and checks its input keys.
t_stats_every_function_checks_keys() {
    local name
    for name in $("$KAOSHI" stats --list); do
        run stats "$name" <<<'{"bogus":1}'
        expect_rc 2
        expect_err_has "kaoshi stats: $name: unknown input 'bogus' (inputs: "
    done
}
