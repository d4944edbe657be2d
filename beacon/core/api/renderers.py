from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """UTF-8 JSON, falling back to \\u escapes when the data cannot be encoded.

    A validation message may echo what the client sent, and an unpaired surrogate (valid
    in a JSON string escape, invalid in UTF-8) would otherwise turn a 400 into a 500.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)


class AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True
