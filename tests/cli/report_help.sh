# report --help: the page (what the report holds, the worst span, EXIT STATUS)
$KTRAIL report --help
