"""个人信息保护 (PIPL): separate consents, export of my data, account deletion."""
