"""zh-hans: amounts grouped by three with commas (72,770,000.00), as Chinese offices write them."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = "."
