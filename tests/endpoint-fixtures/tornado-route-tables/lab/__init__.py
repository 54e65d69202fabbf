report_uri = "/api/security/report"
