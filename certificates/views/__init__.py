"""The app's views by audience: `public` (anyone: verification and the Open Badges
documents), `holder` (the recipient: portfolio, downloads, name visibility) and `issuers`
(coordinators: issuers, keys, revocation)."""
