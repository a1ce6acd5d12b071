# diff --help: the manual with the thresholds and their defaults
$KTRAIL diff --help
