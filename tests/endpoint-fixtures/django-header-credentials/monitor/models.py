from django.db import models


class Team(models.Model):
    api_key = models.CharField(max_length=32)


class Probe(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    paused = models.BooleanField(default=False)
