"""The network's directory (profiles, coordinators, search) and volunteer translations.

`profiles` holds the members' side (create, confirm, save, export, erase, purge), `search` what
coordinators and members look up, `translations` the requests organisers make of volunteers,
`notices` the e-mails, each in its reader's language.
"""
