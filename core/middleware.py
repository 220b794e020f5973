class PlatformLanguageMiddleware:
    """The UI is Simplified Chinese unless the person chose English with the switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and
    a merchant on an English-language browser would get English without asking. The
    switch sets the language cookie, which LocaleMiddleware still honours. The open API
    (/api/) is exempt: an ERP asks for its language with Accept-Language (Chinese by default).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):  # the open API answers in the Accept-Language asked for
            return self.get_response(request)
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
