# The incentive engine's models arrive with the incentive plans (see SPEC "Incentive rules").
