import labsound as ls

# Context creation with context manager
with ls.AudioContext() as ctx:
    # Node creation - factory methods on the context
    osc = ctx.create_oscillator()
    gain = ctx.create_gain()
    
    # Pythonic parameter setting
    osc.type = "sine"  # Instead of enum, use strings
    osc.frequency.value = 440
    gain.gain.value = 0.5
    
    # Simplified connections (source -> destination)
    osc >> gain >> ctx.destination
    
    # Scheduling with timeline in seconds
    osc.start(0)
    osc.stop(2)
    
    # Wait for completion (blocking in this example)
    ctx.wait(2.5)
