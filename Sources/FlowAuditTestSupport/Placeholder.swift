import FlowAudit
