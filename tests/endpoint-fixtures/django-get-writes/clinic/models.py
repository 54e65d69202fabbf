from django.db import models


class Visit(models.Model):
    note = models.TextField()
