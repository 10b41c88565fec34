"""Browser pages of the partners app, by sub-domain: `public` (apply, invitation),
`recruitment` (the board and decisions), `directory` (partners), `contracts`, `training`."""
