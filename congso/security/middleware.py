from django.conf import settings


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (browser features the site does not use are switched off)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response
