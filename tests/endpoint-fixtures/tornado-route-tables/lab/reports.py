import logging

import tornado.web

from lab import report_uri

logger = logging.getLogger(__name__)


class ReportHandler(tornado.web.RequestHandler):  # endpoint: exempt POST /api/security/report
    def check_xsrf_cookie(self):
        return

    def post(self):
        logger.warning("report: %s", self.request.body.decode("utf8", "replace"))


default_handlers = [(report_uri, ReportHandler)]
