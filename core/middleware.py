class PlatformLanguageMiddleware:
    """The UI is Simplified Chinese unless the person chose English with the switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and
    a merchant on an English-language browser would get English without asking. The
    switch sets the language cookie, which LocaleMiddleware still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
