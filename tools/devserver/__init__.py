"""Local stack: moto as AWS, the site and the API on one port."""
