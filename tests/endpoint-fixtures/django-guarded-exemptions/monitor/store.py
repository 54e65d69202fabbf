class Probes:
    def create(self, key, name):
        return (key, name)

    def pause(self, user, probe_id):
        return (user, probe_id)


probes = Probes()
