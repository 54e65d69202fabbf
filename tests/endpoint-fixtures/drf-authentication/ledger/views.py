from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from ledger import links
from ledger.auth import ExpiringTokenAuthentication, SignedLinkAuthentication


class EntryList(APIView):  # endpoint: exempt GET,POST ledger/entries/
    def get(self, request):
        return Response([])

    def post(self, request):
        return Response({}, status=201)


class BrowserEntryList(EntryList):  # endpoint: protected GET,POST ledger/browser/entries/
    authentication_classes = [SessionAuthentication]


class ScriptEntryList(EntryList):  # endpoint: exempt GET,POST ledger/script/entries/
    authentication_classes = [BasicAuthentication]


class ExpiringEntryList(EntryList):  # endpoint: exempt GET,POST ledger/expiring/entries/
    authentication_classes = [ExpiringTokenAuthentication]


class SharedEntryList(EntryList):  # endpoint: unknown GET,POST ledger/shared/entries/
    authentication_classes = [SignedLinkAuthentication]


class ExtendedEntryList(EntryList):  # endpoint: exempt GET,POST ledger/extended/entries/
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES + [ExpiringTokenAuthentication]


class ExportEntryList(EntryList):  # endpoint: unknown GET,POST ledger/export/entries/
    authentication_classes = links.classes_for("export")


@api_view(["POST"])
def close_period(request):  # endpoint: exempt POST ledger/close/
    return Response({"closed": True})


@api_view(["POST"])
@authentication_classes([SessionAuthentication])
def reopen_period(request):  # endpoint: protected POST ledger/reopen/
    return Response({"reopened": True})
