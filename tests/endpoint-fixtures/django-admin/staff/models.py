from django.db import models


class Invoice(models.Model):
    number = models.CharField(max_length=20)


class Note(models.Model):
    text = models.TextField()
