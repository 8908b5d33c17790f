module example.com/clinic/billing

go 1.26.0
