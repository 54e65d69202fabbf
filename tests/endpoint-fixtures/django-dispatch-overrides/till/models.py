class Invoice:
    objects = None

    def settle(self, provider_reply):
        return provider_reply
