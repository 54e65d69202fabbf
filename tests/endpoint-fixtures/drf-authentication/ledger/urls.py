from django.urls import path

from ledger import views

urlpatterns = [
    path("ledger/entries/", views.EntryList.as_view()),
    path("ledger/browser/entries/", views.BrowserEntryList.as_view()),
    path("ledger/script/entries/", views.ScriptEntryList.as_view()),
    path("ledger/expiring/entries/", views.ExpiringEntryList.as_view()),
    path("ledger/shared/entries/", views.SharedEntryList.as_view()),
    path("ledger/extended/entries/", views.ExtendedEntryList.as_view()),
    path("ledger/export/entries/", views.ExportEntryList.as_view()),
    path("ledger/close/", views.close_period),
    path("ledger/reopen/", views.reopen_period),
]
