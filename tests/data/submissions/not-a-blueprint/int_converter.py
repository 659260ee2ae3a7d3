blue = 'a blueprint, honestly'
