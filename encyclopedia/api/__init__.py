"""The open, read-only JSON API at /api/v1/ (django-ninja: its OpenAPI description is generated,
at /api/v1/openapi.json), and its documentation page. Cross-origin reading is allowed
(``cors.py``); responses are cached like pages (ETag, Cache-Control) by the page cache middleware.
"""
