"""The web page of ``xjkg serve``: HTML pages (:mod:`xjkg.web.pages`) and static assets (``static/``)."""
