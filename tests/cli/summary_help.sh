# summary --help: the page (what each kind is, EXIT STATUS)
$KTRAIL summary --help
