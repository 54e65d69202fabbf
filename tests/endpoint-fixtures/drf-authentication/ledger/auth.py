from rest_framework.authentication import BaseAuthentication, TokenAuthentication

from ledger import links


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"


class SignedLinkAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return links.user_for(request)
