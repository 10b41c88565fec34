"""What the two channels' own pages share — the partner portal (``portal/partner``) and the
marketer's pages (``portal/marketer``): who opens them, registering a customer (报备) and
reading the channel's own customers with the progress credited to that channel."""
